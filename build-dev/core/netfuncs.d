build-dev/core/netfuncs.o: src/core/netfuncs.c src/call.h src/value.h \
 src/functions.def src/core/conv.h src/core/resolve.h src/value.h \
 src/core/sock.h src/error.h
src/call.h:
src/value.h:
src/functions.def:
src/core/conv.h:
src/core/resolve.h:
src/value.h:
src/core/sock.h:
src/error.h:
