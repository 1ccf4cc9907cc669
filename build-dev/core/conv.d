build-dev/core/conv.o: src/core/conv.c src/core/conv.h src/call.h \
 src/value.h src/functions.def src/emit.h src/error.h
src/core/conv.h:
src/call.h:
src/value.h:
src/functions.def:
src/emit.h:
src/error.h:
