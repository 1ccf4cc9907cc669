build-dev/core/canframe.o: src/core/canframe.c src/core/canframe.h \
 src/emit.h src/value.h
src/core/canframe.h:
src/emit.h:
src/value.h:
