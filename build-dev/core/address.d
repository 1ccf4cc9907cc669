build-dev/core/address.o: src/core/address.c src/core/addr.h src/value.h \
 src/core/address.h src/core/consts.h src/error.h src/parse.h src/value.h
src/core/addr.h:
src/value.h:
src/core/address.h:
src/core/consts.h:
src/error.h:
src/parse.h:
src/value.h:
