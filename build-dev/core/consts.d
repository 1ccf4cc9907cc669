build-dev/core/consts.o: src/core/consts.c src/call.h src/value.h \
 src/functions.def src/core/consts.h src/value.h src/error.h \
 src/core/consts.def
src/call.h:
src/value.h:
src/functions.def:
src/core/consts.h:
src/value.h:
src/error.h:
src/core/consts.def:
