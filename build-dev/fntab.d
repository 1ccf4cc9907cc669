build-dev/fntab.o: src/fntab.c src/call.h src/value.h src/functions.def
src/call.h:
src/value.h:
src/functions.def:
