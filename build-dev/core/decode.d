build-dev/core/decode.o: src/core/decode.c src/core/decode.h src/json.h \
 src/emit.h src/value.h src/core/pcap.h
src/core/decode.h:
src/json.h:
src/emit.h:
src/value.h:
src/core/pcap.h:
