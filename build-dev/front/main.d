build-dev/front/main.o: src/front/main.c src/call.h src/value.h \
 src/functions.def src/core/addr.h src/value.h src/core/resolve.h \
 src/core/stop.h src/emit.h src/error.h src/front/front.h src/front/opt.h \
 src/front/commands.def src/parse.h
src/call.h:
src/value.h:
src/functions.def:
src/core/addr.h:
src/value.h:
src/core/resolve.h:
src/core/stop.h:
src/emit.h:
src/error.h:
src/front/front.h:
src/front/opt.h:
src/front/commands.def:
src/parse.h:
