# bench/lib.sh - shell functions the bench scripts share (bash; sourced).

# free_port: a TCP port free on 127.0.0.1 now (python3, or $PY).
free_port() {
	"${PY:-python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port PORT SECONDS: until something listens on 127.0.0.1:PORT;
# fails after SECONDS.
wait_port() {
	local i
	for i in $(seq 1 $(($2 * 50))); do
		ss -Hltn "sport = :$1" | grep -q LISTEN && return 0
		sleep 0.02
	done
	return 1
}
