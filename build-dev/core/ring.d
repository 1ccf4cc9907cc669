build-dev/core/ring.o: src/core/ring.c src/core/ring.h src/error.h
src/core/ring.h:
src/error.h:
