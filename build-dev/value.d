build-dev/value.o: src/value.c src/value.h src/error.h
src/value.h:
src/error.h:
