build-dev/core/sockfuncs.o: src/core/sockfuncs.c src/core/addr.h \
 src/value.h src/core/conv.h src/call.h src/value.h src/functions.def \
 src/core/sock.h src/emit.h src/error.h
src/core/addr.h:
src/value.h:
src/core/conv.h:
src/call.h:
src/value.h:
src/functions.def:
src/core/sock.h:
src/emit.h:
src/error.h:
