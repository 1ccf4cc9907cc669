build-dev/cmd/help.o: src/cmd/help.c src/error.h src/front/front.h \
 src/emit.h src/value.h src/front/opt.h src/front/commands.def
src/error.h:
src/front/front.h:
src/emit.h:
src/value.h:
src/front/opt.h:
src/front/commands.def:
