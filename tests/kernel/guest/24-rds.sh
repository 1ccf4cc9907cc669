# 24-rds: RDS over rds_tcp on 127.0.0.1.
need_eval
ev "(b'rds datagram', ('127.0.0.1', 4001))" \
	'a = socket(AF_RDS, SOCK_SEQPACKET); a.bind(("127.0.0.1", 4000)); b = socket(AF_RDS, SOCK_SEQPACKET); b.bind(("127.0.0.1", 4001)); n = b.sendto(b"rds datagram", ("127.0.0.1", 4000)); a.settimeout(5); print(a.recvfrom(100))'
