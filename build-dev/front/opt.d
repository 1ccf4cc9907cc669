build-dev/front/opt.o: src/front/opt.c src/core/resolve.h src/value.h \
 src/core/sock.h src/call.h src/value.h src/functions.def src/error.h \
 src/front/front.h src/emit.h src/front/opt.h src/front/commands.def \
 src/parse.h
src/core/resolve.h:
src/value.h:
src/core/sock.h:
src/call.h:
src/value.h:
src/functions.def:
src/error.h:
src/front/front.h:
src/emit.h:
src/front/opt.h:
src/front/commands.def:
src/parse.h:
