build-dev/core/create.o: src/core/create.c src/core/resolve.h src/value.h \
 src/core/addr.h src/core/address.h src/core/create.h src/core/sock.h \
 src/call.h src/value.h src/functions.def src/emit.h src/core/stop.h \
 src/error.h
src/core/resolve.h:
src/value.h:
src/core/addr.h:
src/core/address.h:
src/core/create.h:
src/core/sock.h:
src/call.h:
src/value.h:
src/functions.def:
src/emit.h:
src/core/stop.h:
src/error.h:
