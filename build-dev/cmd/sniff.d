build-dev/cmd/sniff.o: src/cmd/sniff.c src/front/front.h src/emit.h \
 src/value.h src/front/opt.h src/front/commands.def src/cmd/can.h \
 src/core/addr.h src/value.h src/core/bpf.h src/core/decode.h src/json.h \
 src/emit.h src/core/pcap.h src/core/ring.h src/core/stop.h src/error.h
src/front/front.h:
src/emit.h:
src/value.h:
src/front/opt.h:
src/front/commands.def:
src/cmd/can.h:
src/core/addr.h:
src/value.h:
src/core/bpf.h:
src/core/decode.h:
src/json.h:
src/emit.h:
src/core/pcap.h:
src/core/ring.h:
src/core/stop.h:
src/error.h:
