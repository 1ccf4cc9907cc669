# 21-tipc: TIPC RDM by service name (type 18888, instance 17).
need_eval
ev "b'hello tipc'" \
	's = socket(AF_TIPC, SOCK_RDM); s.bind((TIPC_ADDR_NAMESEQ, 18888, 17, 17, TIPC_NODE_SCOPE)); c = socket(AF_TIPC, SOCK_RDM); n = c.sendto(b"hello tipc", (TIPC_ADDR_NAME, 18888, 17, 0)); print(s.recvfrom(100)[0])'
ev "<AddressFamily.AF_TIPC: 30>" 's = socket(AF_TIPC, SOCK_RDM); s.family'
