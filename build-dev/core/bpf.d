build-dev/core/bpf.o: src/core/bpf.c src/core/bpf.h src/emit.h \
 src/value.h src/error.h
src/core/bpf.h:
src/emit.h:
src/value.h:
src/error.h:
