build-dev/core/msg.o: src/core/msg.c src/core/addr.h src/value.h \
 src/core/conv.h src/call.h src/value.h src/functions.def src/core/sock.h \
 src/error.h
src/core/addr.h:
src/value.h:
src/core/conv.h:
src/call.h:
src/value.h:
src/functions.def:
src/core/sock.h:
src/error.h:
