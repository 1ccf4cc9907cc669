build-dev/emit.o: src/emit.c src/core/consts.h src/value.h \
 src/core/family.h src/emit.h src/value.h src/error.h src/json.h \
 src/unitab.h
src/core/consts.h:
src/value.h:
src/core/family.h:
src/emit.h:
src/value.h:
src/error.h:
src/json.h:
src/unitab.h:
