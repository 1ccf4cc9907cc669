build-dev/core/pcap.o: src/core/pcap.c src/core/pcap.h src/error.h \
 src/value.h
src/core/pcap.h:
src/error.h:
src/value.h:
