build-dev/cmd/resolve.o: src/cmd/resolve.c src/call.h src/value.h \
 src/functions.def src/front/front.h src/emit.h src/front/opt.h \
 src/front/commands.def src/error.h src/parse.h
src/call.h:
src/value.h:
src/functions.def:
src/front/front.h:
src/emit.h:
src/front/opt.h:
src/front/commands.def:
src/error.h:
src/parse.h:
