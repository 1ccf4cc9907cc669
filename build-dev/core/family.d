build-dev/core/family.o: src/core/family.c src/core/family.h src/value.h
src/core/family.h:
src/value.h:
