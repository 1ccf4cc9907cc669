build-dev/core/sock.o: src/core/sock.c src/core/addr.h src/value.h \
 src/core/consts.h src/core/conv.h src/call.h src/value.h \
 src/functions.def src/core/file.h src/core/sock.h src/emit.h src/json.h \
 src/emit.h src/core/stop.h src/error.h
src/core/addr.h:
src/value.h:
src/core/consts.h:
src/core/conv.h:
src/call.h:
src/value.h:
src/functions.def:
src/core/file.h:
src/core/sock.h:
src/emit.h:
src/json.h:
src/emit.h:
src/core/stop.h:
src/error.h:
