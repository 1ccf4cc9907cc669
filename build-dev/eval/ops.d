build-dev/eval/ops.o: src/eval/ops.c src/core/consts.h src/value.h \
 src/error.h src/eval/eval.h src/call.h src/value.h src/functions.def \
 src/emit.h
src/core/consts.h:
src/value.h:
src/error.h:
src/eval/eval.h:
src/call.h:
src/value.h:
src/functions.def:
src/emit.h:
