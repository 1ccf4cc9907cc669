build-dev/json.o: src/json.c src/json.h src/emit.h src/value.h
src/json.h:
src/emit.h:
src/value.h:
