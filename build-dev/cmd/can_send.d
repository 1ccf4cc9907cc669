build-dev/cmd/can_send.o: src/cmd/can_send.c src/call.h src/value.h \
 src/functions.def src/cmd/netcmd.h src/core/address.h src/value.h \
 src/front/opt.h src/front/front.h src/emit.h src/front/commands.def \
 src/core/addr.h src/core/canframe.h src/core/stop.h src/error.h \
 src/parse.h
src/call.h:
src/value.h:
src/functions.def:
src/cmd/netcmd.h:
src/core/address.h:
src/value.h:
src/front/opt.h:
src/front/front.h:
src/emit.h:
src/front/commands.def:
src/core/addr.h:
src/core/canframe.h:
src/core/stop.h:
src/error.h:
src/parse.h:
