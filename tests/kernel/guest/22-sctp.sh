# 22-sctp: SCTP one-to-one through eval, and the echo / connect task commands.
need_eval
ev "b'sctp stream'" \
	'l = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP); l.bind(("127.0.0.1", 0)); l.listen(); c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP); c.connect(l.getsockname()); a, _ = l.accept(); c.sendall(b"sctp stream"); print(a.recv(100))'
ev "b'one to many'" \
	's = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP); s.bind(("127.0.0.1", 0)); s.listen(); c = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP); n = c.sendto(b"one to many", s.getsockname()); print(s.recvfrom(100)[0])'
sockit echo sctp:127.0.0.1:0 --count 1 2>/tmp/echo.err &
p=$!
wait_file /tmp/echo.err '127.0.0.1' || fail "echo did not report its address"
port=$(bound_port /tmp/echo.err)
got=$(echo "hello sctp" | timeout 10 sockit connect sctp:127.0.0.1:$port)
st=$?
expect_eq "echo over SCTP" "$got" "hello sctp"
expect_eq "connect ends when the echo server closes (status)" "$st" 0
bg_wait $p 30 || fail "echo --count 1: status $?"
