# 20-alg: AF_ALG through sockit eval: sha256 and cbc(aes), with
# sendmsg_afalg and with sendmsg and explicit ALG_SET_OP/ALG_SET_IV cmsgs.
need_eval
KEY="b'\\x2b\\x7e\\x15\\x16\\x28\\xae\\xd2\\xa6\\xab\\xf7\\x15\\x88\\x09\\xcf\\x4f\\x3c'"
IV="bytes(range(16))"
IVB="b'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x09\\x0a\\x0b\\x0c\\x0d\\x0e\\x0f'"
PT="b'\\x6b\\xc1\\xbe\\xe2\\x2e\\x40\\x9f\\x96\\xe9\\x3d\\x7e\\x11\\x73\\x93\\x17\\x2a'"
PTR="b'k\\xc1\\xbe\\xe2.@\\x9f\\x96\\xe9=~\\x11s\\x93\\x17*'"	# repr of PT
CT="b'vI\\xab\\xac\\x81\\x19\\xb2F\\xce\\xe9\\x8e\\x9b\\x12\\xe9\\x19}'"

ev "b'\\xbax\\x16\\xbf\\x8f\\x01\\xcf\\xeaAA@\\xde]\\xae\"#\\xb0\\x03a\\xa3\\x96\\x17z\\x9c\\xb4\\x10\\xffa\\xf2\\x00\\x15\\xad'" \
	'a = socket(AF_ALG, SOCK_SEQPACKET); a.bind(("hash", "sha256")); c, _ = a.accept(); c.sendall(b"abc"); print(c.recv(32))'
# NIST SP 800-38A F.2.1, first block: CBC-AES128 encryption
ev "16 $CT" \
	"a = socket(AF_ALG, SOCK_SEQPACKET); a.bind(('skcipher', 'cbc(aes)')); a.setsockopt(SOL_ALG, ALG_SET_KEY, $KEY); op, _ = a.accept(); n = op.sendmsg_afalg([$PT], op=ALG_OP_ENCRYPT, iv=$IVB); print(n, op.recv(16))"
# and back, with sendmsg and the cmsgs written out (struct af_alg_iv: u32 ivlen + iv)
ev "16 $PTR" \
	"a = socket(AF_ALG, SOCK_SEQPACKET); a.bind(('skcipher', 'cbc(aes)')); a.setsockopt(SOL_ALG, ALG_SET_KEY, $KEY); op, _ = a.accept(); n = op.sendmsg([$CT], [(SOL_ALG, ALG_SET_OP, b'\\x00\\x00\\x00\\x00'), (SOL_ALG, ALG_SET_IV, b'\\x10\\x00\\x00\\x00' + $IVB)]); print(n, op.recv(16))"
# an unknown algorithm: CPython's error
sockit eval 'a = socket(AF_ALG, SOCK_SEQPACKET); a.bind(("hash", "nosuchalg"))' 2>/tmp/e
expect_eq "unknown algorithm status" "$?" 1
expect_eq "unknown algorithm" "$(cat /tmp/e)" "sockit: FileNotFoundError: [Errno 2] No such file or directory"
