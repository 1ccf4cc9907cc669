build-dev/core/af_qrtr.o: src/core/af_qrtr.c src/core/addr.h src/value.h \
 src/core/conv.h src/call.h src/value.h src/functions.def \
 src/core/family.h src/core/sock.h src/error.h
src/core/addr.h:
src/value.h:
src/core/conv.h:
src/call.h:
src/value.h:
src/functions.def:
src/core/family.h:
src/core/sock.h:
src/error.h:
