build-dev/error.o: src/error.c src/emit.h src/value.h src/error.h \
 src/json.h
src/emit.h:
src/value.h:
src/error.h:
src/json.h:
