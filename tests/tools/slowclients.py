#!/usr/bin/env python3
"""Slow and stuck clients against an echo server, for tests/81-load.bats.

  slowclients.py PORT PID NSLOW NSTUCK SECONDS

For SECONDS: NSLOW slowloris clients each send 1 byte every 100 ms; NSTUCK
clients (16 KiB receive buffers) send as much as the kernel takes, up
to 256 KiB per 100 ms and 8 MiB in all, and never read;
one normal client makes a round trip every 100 ms.  Meanwhile the VmRSS of
process PID is sampled.  At the end every slowloris client must get back
every byte it sent.  Prints one line:
  rtts=N max_rtt_ms=X failed=F slow_ok=K/NSLOW stuck_sent=B rss_start_kb=S rss_max_kb=M
and exits 1 when a round trip failed or took over 2 s, or a slowloris client
lost bytes.
"""
import socket
import sys
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    port, pid, nslow, nstuck, secs = (int(a) for a in sys.argv[1:6])
    addr = ("127.0.0.1", port)
    rss0 = rss_max = rss_kb(pid)
    slow = [socket.create_connection(addr) for _ in range(nslow)]
    stuck = []
    for _ in range(nstuck):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)  # fills fast
        s.connect(addr)
        s.setblocking(False)
        stuck.append(s)
    normal = socket.create_connection(addr)
    normal.settimeout(2.0)
    sent_slow, stuck_sent, rtts, max_rtt, failed = 0, 0, 0, 0.0, 0
    stuck_left = [8 << 20] * nstuck
    blob = b"z" * 65536
    end = time.monotonic() + secs
    while time.monotonic() < end:
        tick = time.monotonic()
        for s in slow:
            s.send(b"s")
        sent_slow += 1
        for i, s in enumerate(stuck):
            budget = 256 << 10  # per client and tick: the loop keeps its pace
            while stuck_left[i] > 0 and budget > 0:
                try:
                    n = s.send(blob[:stuck_left[i]])
                except BlockingIOError:
                    break
                stuck_left[i] -= n
                stuck_sent += n
                budget -= n
        msg = b"ping %d\n" % rtts
        t0 = time.monotonic()
        try:
            normal.sendall(msg)
            got = b""
            while len(got) < len(msg):
                chunk = normal.recv(len(msg) - len(got))
                if not chunk:
                    break
                got += chunk
            if got != msg:
                failed += 1
        except OSError:
            failed += 1
        max_rtt = max(max_rtt, time.monotonic() - t0)
        rtts += 1
        rss_max = max(rss_max, rss_kb(pid))
        time.sleep(max(0.0, 0.1 - (time.monotonic() - tick)))
    slow_ok = 0
    for s in slow:
        s.settimeout(5.0)
        got = b""
        try:
            while len(got) < sent_slow:
                chunk = s.recv(sent_slow - len(got))
                if not chunk:
                    break
                got += chunk
        except OSError:
            pass
        slow_ok += got == b"s" * sent_slow
    print(f"rtts={rtts} max_rtt_ms={max_rtt * 1000:.0f} failed={failed} "
          f"slow_ok={slow_ok}/{nslow} stuck_sent={stuck_sent} "
          f"rss_start_kb={rss0} rss_max_kb={rss_max}", flush=True)
    for s in slow + stuck + [normal]:
        s.close()
    return 1 if failed or max_rtt > 2.0 or slow_ok != nslow else 0


if __name__ == "__main__":
    sys.exit(main())
