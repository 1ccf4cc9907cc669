# 27-bluetooth: AF_BLUETOOTH on two virtual BR/EDR radios (BlueZ's btvirt
# over hci_vhci: hci0 00:AA:01:00:00:00, hci1 00:AA:01:01:00:01).  Every
# program below runs in `sockit eval` and in CPython 3.11 (the host's, over
# the 9p mount at /host; one process for them all, as its start over 9p
# takes seconds) and the outputs must be the same: HCI (bind, addresses,
# errors, HCI_FILTER, the Read BD ADDR command and its Command Complete
# event, the HCI_DATA_DIR and HCI_TIME_STAMP cmsgs), the sockets of each
# protocol, and L2CAP seqpacket between the radios (connect, accept,
# messages both ways, addresses, errors).  No absent-peer connect: it
# crashes this kernel's L2CAP (shared/notes/bluetooth-lab.md).
[ -x /host/usr/bin/python3 ] || skip "no host root over 9p (CPython is the reference)"
command -v btvirt >/dev/null || skip "btvirt (bluez-test-tools) not in the guest"
grep -q '^bluetooth ' /proc/modules || fail "bluetooth module not loaded"

btvirt -l2 >/tmp/btvirt.log 2>&1 &
n=50
while [ ! -e /sys/class/bluetooth/hci1 ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -e /sys/class/bluetooth/hci1 ] || { cat /tmp/btvirt.log; fail "btvirt made no hci1"; }

# One program a line (F: an HCI filter passing only the Command Complete
# event of Read BD ADDR, opcode 0x1009, so that the kernel's own commands
# cannot interleave; 16 bytes, struct hci_ufilter with its padding).
cat >/tmp/progs <<'PROGS'
h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); print(h.family, h.type, h.proto); h
h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.getsockname()
h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind((0,)); h.getsockname(); h
h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind((1,)); h.getsockname()
h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind((0,)); h.getpeername()
h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind((7,))
h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind(('x',))
h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind(0)
h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind((0, 0))
F = b'\x10\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x09\x10\x00\x00'; h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind((0,)); h.setsockopt(SOL_HCI, HCI_FILTER, F); h.getsockopt(SOL_HCI, HCI_FILTER, 16)
F = b'\x10\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x09\x10\x00\x00'; h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind((0,)); h.setsockopt(SOL_HCI, HCI_FILTER, F[:14])
F = b'\x10\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x09\x10\x00\x00'; h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind((0,)); h.setsockopt(SOL_HCI, HCI_FILTER, F); h.settimeout(5); h.send(b'\x01\x09\x10\x00'); h.recv(260)
F = b'\x10\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x09\x10\x00\x00'; h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind((1,)); h.setsockopt(SOL_HCI, HCI_FILTER, F); h.settimeout(5); h.send(b'\x01\x09\x10\x00'); h.recv(260)
F = b'\x10\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x09\x10\x00\x00'; h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI); h.bind((0,)); h.setsockopt(SOL_HCI, HCI_FILTER, F); h.setsockopt(SOL_HCI, HCI_DATA_DIR, 1); h.setsockopt(SOL_HCI, HCI_TIME_STAMP, 1); h.settimeout(5); h.send(b'\x01\x09\x10\x00'); m = h.recvmsg(260, 64); print(m[0], len(m[1]), m[2]); m[1][0]; print(m[1][1][0], m[1][1][1], len(m[1][1][2]))
s = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP); s
s = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP); s.bind(('xx', 1))
s = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP); s.bind(('00:AA:01:01:00:01',))
s = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP); s.bind(('00:AA:01:01:00:01', 0x1002))
s = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP); s.bind(('00:aa:01:01:00:01', 0x1005)); s.getsockname(); s
s = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP); s.getpeername()
s = socket(AF_BLUETOOTH, SOCK_STREAM, BTPROTO_L2CAP); s
s = socket(AF_BLUETOOTH, SOCK_DGRAM, BTPROTO_L2CAP); s
s = socket(AF_BLUETOOTH, SOCK_STREAM, BTPROTO_RFCOMM); s
s = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_RFCOMM)
s = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_SCO); s; s.bind(b'00:aa:01:00:00:00'); s.getsockname(); s
s = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_SCO); s.bind('00:aa:01:00:00:00')
s = socket(AF_BLUETOOTH, SOCK_STREAM, BTPROTO_SCO)
s = socket(AF_BLUETOOTH, SOCK_DGRAM, BTPROTO_HCI)
s = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP); s.bind(('00:AA:01:01:00:01', 0x1001)); s.listen(1); s.getsockname(); c = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP); c.settimeout(20); c.bind(('00:aa:01:00:00:00', 0)); c.connect(('00:aa:01:01:00:01', 0x1001)); s.settimeout(20); a, peer = s.accept(); print(peer[0], a.getsockname(), a.getpeername()[0]); print(c.getpeername(), c.getsockname()[0]); c.send(b'one'); c.send(b'two'); print(a.recv(100), a.recv(100)); a.send(b'pong'); c.recv(100); c.close(); a.settimeout(10); a.recv(100)
c = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP); c.settimeout(8); c.bind(('00:AA:01:00:00:00', 0)); c.connect(('00:AA:01:01:00:01', 0x1003))
PROGS

# CPython: brings both radios up (HCIDEVUP) with page scan on hci1
# (HCISETSCAN, struct hci_dev_req), then runs each program as sockit eval
# does (the oracle's runner: the repr of each expression statement's value;
# an error as "sockit: TYPE: TEXT", then sockit's exit status, SPEC 5), each
# in a namespace of its own, closing its sockets after it.
cat >/tmp/runner.py <<'PY'
import ast, fcntl, gc, io, socket as _s, struct, sys, traceback
h = _s.socket(_s.AF_BLUETOOTH, _s.SOCK_RAW, _s.BTPROTO_HCI)
for dev in (0, 1):
    try:
        fcntl.ioctl(h, 0x400448c9, dev)	# HCIDEVUP
    except OSError as e:	# EALREADY: the kernel's own power-on won the race
        if e.errno != 114:
            raise
fcntl.ioctl(h, 0x400448dd, struct.pack("HI", 1, 3))
h.close()
def close(v):
    if isinstance(v, _s.socket):
        v.close()
    elif isinstance(v, (tuple, list)):
        for x in v:
            close(x)
for src in open(sys.argv[1]).read().splitlines():
    g, out, st = {}, io.StringIO(), 0
    exec("from socket import *", g)
    sys.stdout = out
    try:
        for node in ast.parse(src).body:
            if isinstance(node, ast.Expr):
                v = eval(compile(ast.Expression(node.value), "<eval>", "eval"), g)
                if v is not None:
                    print(repr(v))
            else:
                exec(compile(ast.Module([node], []), "<eval>", "exec"), g)
    except Exception as e:
        print("sockit: " + traceback.format_exception_only(type(e), e)[-1].strip())
        st = 2 if isinstance(e, (TypeError, ValueError, OverflowError)) else 4 if isinstance(e, TimeoutError) else 1
    sys.stdout = sys.__stdout__
    for v in list(g.values()):
        close(v)
    g.clear()
    gc.collect()
    print(out.getvalue() + "@@status %d" % st, flush=True)
PY
# (init mounts a tmpfs at /host/tmp, the chroot's way in)
cp /tmp/progs /tmp/runner.py /host/tmp/ || fail "no writable /host/tmp"
chroot /host /usr/bin/python3 /tmp/runner.py /tmp/progs >/tmp/want 2>&1 || tail -n 5 /tmp/want
while IFS= read -r prog; do
	sockit eval "$prog" 2>&1
	echo "@@status $?"
done </tmp/progs >/tmp/got
n=$(grep -c '^@@status' /tmp/got)
expect_eq "CPython ran every program" "$(grep -c '^@@status' /tmp/want)" "$n"
cat /tmp/got
if ! diff /tmp/want /tmp/got >/tmp/diff; then
	echo "--- CPython, +++ sockit:"
	cat /tmp/diff
	fail "sockit and CPython differ"
fi
