build-dev/cmd/netcmd.o: src/cmd/netcmd.c src/front/front.h src/emit.h \
 src/value.h src/front/opt.h src/front/commands.def src/cmd/netcmd.h \
 src/core/address.h src/value.h src/core/addr.h src/core/create.h \
 src/core/sock.h src/call.h src/functions.def src/core/taskconn.h \
 src/core/stop.h src/error.h
src/front/front.h:
src/emit.h:
src/value.h:
src/front/opt.h:
src/front/commands.def:
src/cmd/netcmd.h:
src/core/address.h:
src/value.h:
src/core/addr.h:
src/core/create.h:
src/core/sock.h:
src/call.h:
src/functions.def:
src/core/taskconn.h:
src/core/stop.h:
src/error.h:
