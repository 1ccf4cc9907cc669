build-dev/cmd/eval.o: src/cmd/eval.c src/call.h src/value.h \
 src/functions.def src/front/front.h src/emit.h src/front/opt.h \
 src/front/commands.def src/error.h src/eval/eval.h src/value.h
src/call.h:
src/value.h:
src/functions.def:
src/front/front.h:
src/emit.h:
src/front/opt.h:
src/front/commands.def:
src/error.h:
src/eval/eval.h:
src/value.h:
