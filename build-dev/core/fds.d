build-dev/core/fds.o: src/core/fds.c src/core/fds.h src/core/sock.h \
 src/value.h src/call.h src/value.h src/functions.def src/error.h
src/core/fds.h:
src/core/sock.h:
src/value.h:
src/call.h:
src/value.h:
src/functions.def:
src/error.h:
