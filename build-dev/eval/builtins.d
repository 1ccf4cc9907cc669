build-dev/eval/builtins.o: src/eval/builtins.c src/core/consts.h \
 src/value.h src/core/conv.h src/call.h src/value.h src/functions.def \
 src/core/file.h src/core/sock.h src/error.h src/eval/eval.h src/emit.h \
 src/parse.h
src/core/consts.h:
src/value.h:
src/core/conv.h:
src/call.h:
src/value.h:
src/functions.def:
src/core/file.h:
src/core/sock.h:
src/error.h:
src/eval/eval.h:
src/emit.h:
src/parse.h:
