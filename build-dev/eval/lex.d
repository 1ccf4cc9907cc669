build-dev/eval/lex.o: src/eval/lex.c src/error.h src/eval/eval.h \
 src/value.h src/call.h src/value.h src/functions.def src/emit.h \
 src/parse.h
src/error.h:
src/eval/eval.h:
src/value.h:
src/call.h:
src/value.h:
src/functions.def:
src/emit.h:
src/parse.h:
