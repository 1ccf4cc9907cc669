# 26-udplite: UDP-Lite over IPv4 and IPv6 with checksum coverage options.
need_eval
ev "b'lite v4'
8" \
	's = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE); s.setsockopt(IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV, 8); s.setsockopt(IPPROTO_UDPLITE, UDPLITE_RECV_CSCOV, 8); s.bind(("127.0.0.1", 0)); n = s.sendto(b"lite v4", s.getsockname()); print(s.recvfrom(10)[0]); print(s.getsockopt(IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV))'
ev "b'lite v6'" \
	's = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE); s.setsockopt(IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV, 12); s.bind(("::1", 0)); n = s.sendto(b"lite v6", s.getsockname()); print(s.recvfrom(10)[0])'
