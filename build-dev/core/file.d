build-dev/core/file.o: src/core/file.c src/core/conv.h src/call.h \
 src/value.h src/functions.def src/core/file.h src/value.h \
 src/core/sock.h src/emit.h src/error.h
src/core/conv.h:
src/call.h:
src/value.h:
src/functions.def:
src/core/file.h:
src/value.h:
src/core/sock.h:
src/emit.h:
src/error.h:
