#!/usr/bin/env bash
# tests/sandbox.sh CMD [ARG...]: runs CMD in namespaces of its own, so that
# nothing it does leaves this machine or changes it (issue 13, "Also"):
#
#   network  a new one holding only lo (up): a connect to anything but
#            127.0.0.0/8 and ::1 fails with ENETUNREACH.  Tests still make
#            their own namespaces inside it (ip netns add: /run/netns is a
#            fresh tmpfs, so they neither see nor leave the machine's).
#   UTS      a new one, host name sockit-sandbox: a sethostname changes it,
#            never the machine's.
#   mount    private propagation; /etc/hosts, /etc/resolv.conf and
#            /etc/nsswitch.conf are private copies bind-mounted over the
#            real ones: hosts names localhost and sockit-sandbox, the
#            nameserver is 127.0.0.1 inside the namespace (nothing listens
#            there but the DNS server below), and
#            hosts go through files and dns only (no resolved, mdns ...);
#            /run/nscd is an empty tmpfs (no machine's nscd answers).
#   DNS      dnsmasq on 127.0.0.1:53 of the namespace answers NXDOMAIN to
#            every query (as a real resolver does for *.invalid), so that
#            lookups fail as they would outside, at once and locally;
#            without dnsmasq they fail with EAI_AGAIN.
#
# CMD sees SOCKIT_SANDBOX=1 and SOCKIT_OUTER_NET, SOCKIT_OUTER_UTS (the
# namespaces it was started from), which tests/04-sandbox.bats checks.  Run
# inside a sandbox already, it just executes CMD.  As root it uses
# unshare -mun; otherwise unshare -rmun (a user namespace).  When neither
# works it refuses (status 2): the suite does not run unconfined.
set -u
if [ "${1:-}" = --inside ]; then
	dir=$2
	shift 2
	ip link set lo up || exit 2
	hostname sockit-sandbox || exit 2
	for f in hosts resolv.conf nsswitch.conf; do
		mount --bind "$dir/$f" "/etc/$f" || exit 2
	done
	# glibc asks nscd over /run/nscd/socket before nsswitch: a machine's
	# nscd would resolve for the sandbox, so its directory is an empty one
	for d in /run/nscd /var/run/nscd; do
		[ ! -d "$d" ] || mount -t tmpfs -o mode=0755 sockit-nscd "$d" || exit 2
	done
	mkdir -p /run/netns 2>/dev/null
	mount -t tmpfs -o mode=0755 sockit-netns /run/netns || exit 2
	export SOCKIT_SANDBOX=1
	dns=
	if command -v dnsmasq >/dev/null; then
		dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-poll --address='/#/' \
		    --listen-address=127.0.0.1 --bind-interfaces --port=53 --user=root \
		    --pid-file= --log-facility=/dev/null &
		dns=$!
		for _ in $(seq 50); do
			[ -n "$(ss -Hlun 'sport = 53' 2>/dev/null)" ] && break
			sleep 0.1
		done
	fi
	"$@"
	st=$?
	[ -z "$dns" ] || { kill "$dns"; wait "$dns"; } 2>/dev/null
	rm -rf "$dir"
	exit "$st"
fi
[ $# -gt 0 ] || { echo "usage: tests/sandbox.sh CMD [ARG...]" >&2; exit 2; }
net=$(readlink /proc/self/ns/net) uts=$(readlink /proc/self/ns/uts)
if [ "${SOCKIT_SANDBOX:-}" = 1 ] && [ -n "${SOCKIT_OUTER_NET:-}" ] &&
    [ "$net" != "$SOCKIT_OUTER_NET" ] && [ "$uts" != "${SOCKIT_OUTER_UTS:-}" ]; then
	exec "$@"
fi
command -v unshare >/dev/null || { echo "sandbox.sh: unshare (util-linux) is missing" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/sockit-sandbox.XXXXXX") || exit 2
printf '127.0.0.1\tlocalhost\n::1\tip6-localhost ip6-loopback\n127.0.1.1\tsockit-sandbox\n' >"$dir/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$dir/resolv.conf"
if [ -r /etc/nsswitch.conf ]; then
	sed 's/^hosts:.*/hosts: files dns/' /etc/nsswitch.conf >"$dir/nsswitch.conf"
	grep -q '^hosts:' "$dir/nsswitch.conf" || echo 'hosts: files dns' >>"$dir/nsswitch.conf"
else
	echo 'hosts: files dns' >"$dir/nsswitch.conf"
fi
chmod 644 "$dir"/*
export SOCKIT_OUTER_NET=$net SOCKIT_OUTER_UTS=$uts
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
if [ "$(id -u)" = 0 ]; then
	unshare -mun --propagation private -- "$self" --inside "$dir" "$@"
else
	unshare -rmun --propagation private -- "$self" --inside "$dir" "$@"
fi
st=$?
rm -rf "$dir"
exit "$st"
