#!/bin/sh
# bench/oneshot.sh - wall time of one-shot function commands: sockit against
# CPython and against a bare C program making the same call.  Not a test;
# it prints a table.  Usage: bench/oneshot.sh [SOCKIT] [RUNS]
set -eu
SOCKIT=${1:-./sockit}
N=${2:-200}
[ "$N" -gt 0 ] && [ "$N" -le 5000 ] || { echo "RUNS must be 1..5000" >&2; exit 2; }
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
CC=${CC:-cc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

cat >"$TMP/bare.c" <<'CEOF'
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int
main(int argc, char **argv)
{
	struct addrinfo hints, *res, *ai;
	char host[64];

	if (argc > 1 && strcmp(argv[1], "gai") == 0) {
		memset(&hints, 0, sizeof hints);
		if (getaddrinfo("localhost", "80", &hints, &res) != 0)
			return 3;
		for (ai = res; ai; ai = ai->ai_next) {
			struct sockaddr_in *in = (struct sockaddr_in *)ai->ai_addr;

			inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
			printf("%d %d %d %s\n", ai->ai_family, ai->ai_socktype, ai->ai_protocol, host);
		}
		freeaddrinfo(res);
		return 0;
	}
	printf("%u\n", (unsigned)htons(80));
	return 0;
}
CEOF
$CC -O2 -o "$TMP/bare" "$TMP/bare.c"

# seconds N runs of "$@" take, with millisecond resolution
timeit() {
	"$@" >/dev/null	# warm the caches first
	start=$(date +%s%N)
	i=0
	while [ $i -lt "$N" ]; do
		"$@" >/dev/null
		i=$((i + 1))
	done
	end=$(date +%s%N)
	echo $(( (end - start) / 1000 ))	# microseconds in all
}

printf '%-28s %10s %10s %10s %9s %12s\n' call "C us/run" "sockit" "python" "sockit/C" "python/sockit"
row() {
	name=$1 c=$2 s=$3 p=$4
	awk -v n="$name" -v c="$c" -v s="$s" -v p="$p" -v N="$N" 'BEGIN {
		printf "%-28s %10.0f %10.0f %10.0f %9.2f %12.1f\n", n, c / N, s / N, p / N, s / c, p / s }'
}
c=$(timeit "$TMP/bare")
s=$(timeit "$SOCKIT" htons 80)
p=$(timeit "$PY" -c 'import socket; print(socket.htons(80))')
row "htons 80" "$c" "$s" "$p"
c=$(timeit "$TMP/bare" gai)
s=$(timeit "$SOCKIT" getaddrinfo localhost 80)
p=$(timeit "$PY" -c 'import socket; print(socket.getaddrinfo("localhost", 80))')
row "getaddrinfo localhost 80" "$c" "$s" "$p"
echo "($N runs each; $("$SOCKIT" --version 2>/dev/null || echo sockit), $("$PY" --version 2>&1))"
