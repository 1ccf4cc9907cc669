build-dev/core/resolve.o: src/core/resolve.c src/call.h src/value.h \
 src/functions.def src/core/addr.h src/value.h src/core/consts.h \
 src/core/conv.h src/core/resolve.h src/emit.h src/error.h
src/call.h:
src/value.h:
src/functions.def:
src/core/addr.h:
src/value.h:
src/core/consts.h:
src/core/conv.h:
src/core/resolve.h:
src/emit.h:
src/error.h:
