build-dev/core/taskconn.o: src/core/taskconn.c src/core/create.h \
 src/core/sock.h src/value.h src/call.h src/value.h src/functions.def \
 src/core/stop.h src/core/taskconn.h src/core/address.h src/error.h
src/core/create.h:
src/core/sock.h:
src/value.h:
src/call.h:
src/value.h:
src/functions.def:
src/core/stop.h:
src/core/taskconn.h:
src/core/address.h:
src/error.h:
