build-dev/cmd/fds_pass.o: src/cmd/fds_pass.c src/call.h src/value.h \
 src/functions.def src/cmd/netcmd.h src/core/address.h src/value.h \
 src/front/opt.h src/front/front.h src/emit.h src/front/commands.def \
 src/core/addr.h src/core/create.h src/core/fds.h src/core/sock.h \
 src/core/stop.h src/error.h src/parse.h
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
src/core/create.h:
src/core/fds.h:
src/core/sock.h:
src/core/stop.h:
src/error.h:
src/parse.h:
