build-dev/cmd/listen.o: src/cmd/listen.c src/call.h src/value.h \
 src/functions.def src/front/front.h src/emit.h src/front/opt.h \
 src/front/commands.def src/cmd/netcmd.h src/core/address.h src/value.h \
 src/core/addr.h src/core/relay.h src/core/sock.h src/core/taskconn.h \
 src/core/stop.h src/error.h
src/call.h:
src/value.h:
src/functions.def:
src/front/front.h:
src/emit.h:
src/front/opt.h:
src/front/commands.def:
src/cmd/netcmd.h:
src/core/address.h:
src/value.h:
src/core/addr.h:
src/core/relay.h:
src/core/sock.h:
src/core/taskconn.h:
src/core/stop.h:
src/error.h:
