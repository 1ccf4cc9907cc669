build-dev/parse.o: src/parse.c src/core/consts.h src/value.h src/emit.h \
 src/value.h src/error.h src/parse.h
src/core/consts.h:
src/value.h:
src/emit.h:
src/value.h:
src/error.h:
src/parse.h:
