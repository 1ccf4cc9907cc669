build-dev/front/cmdtab.o: src/front/cmdtab.c src/call.h src/value.h \
 src/functions.def src/error.h src/json.h src/emit.h src/front/cmdtab.h \
 src/front/opt.h src/front/front.h src/emit.h src/front/commands.def
src/call.h:
src/value.h:
src/functions.def:
src/error.h:
src/json.h:
src/emit.h:
src/front/cmdtab.h:
src/front/opt.h:
src/front/front.h:
src/emit.h:
src/front/commands.def:
