build-dev/core/relay.o: src/core/relay.c src/core/relay.h src/core/sock.h \
 src/value.h src/call.h src/value.h src/functions.def src/error.h
src/core/relay.h:
src/core/sock.h:
src/value.h:
src/call.h:
src/value.h:
src/functions.def:
src/error.h:
