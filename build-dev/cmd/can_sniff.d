build-dev/cmd/can_sniff.o: src/cmd/can_sniff.c src/front/front.h \
 src/emit.h src/value.h src/front/opt.h src/front/commands.def \
 src/cmd/can.h src/core/addr.h src/value.h src/core/canframe.h \
 src/core/pcap.h src/json.h src/emit.h src/core/stop.h src/error.h
src/front/front.h:
src/emit.h:
src/value.h:
src/front/opt.h:
src/front/commands.def:
src/cmd/can.h:
src/core/addr.h:
src/value.h:
src/core/canframe.h:
src/core/pcap.h:
src/json.h:
src/emit.h:
src/core/stop.h:
src/error.h:
