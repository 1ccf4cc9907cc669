build-dev/front/complete.o: src/front/complete.c src/call.h src/value.h \
 src/functions.def src/core/consts.h src/value.h src/front/cmdtab.h \
 src/front/opt.h src/front/front.h src/emit.h src/front/commands.def
src/call.h:
src/value.h:
src/functions.def:
src/core/consts.h:
src/value.h:
src/front/cmdtab.h:
src/front/opt.h:
src/front/front.h:
src/emit.h:
src/front/commands.def:
