build-dev/core/stop.o: src/core/stop.c src/core/stop.h src/error.h
src/core/stop.h:
src/error.h:
