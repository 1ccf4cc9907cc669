build-dev/core/sockaddr.o: src/core/sockaddr.c src/core/addr.h \
 src/value.h src/core/family.h src/core/conv.h src/call.h src/value.h \
 src/functions.def src/core/sock.h src/error.h src/parse.h
src/core/addr.h:
src/value.h:
src/core/family.h:
src/core/conv.h:
src/call.h:
src/value.h:
src/functions.def:
src/core/sock.h:
src/error.h:
src/parse.h:
