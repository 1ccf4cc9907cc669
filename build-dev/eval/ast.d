build-dev/eval/ast.o: src/eval/ast.c src/error.h src/eval/eval.h \
 src/value.h src/call.h src/value.h src/functions.def src/emit.h
src/error.h:
src/eval/eval.h:
src/value.h:
src/call.h:
src/value.h:
src/functions.def:
src/emit.h:
