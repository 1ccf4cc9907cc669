#!/bin/sh
# Installs what the test suite needs on a Debian machine, only what is missing.
# Each entry: a command (or file) to look for, then the Debian package.
set -e
need=""
check() {
	case "$1" in
	/*) [ -e "$1" ] || need="$need $2" ;;
	*) command -v "$1" >/dev/null 2>&1 || need="$need $2" ;;
	esac
}
check bats bats
check /usr/lib/bats/bats-support/load.bash bats-support
check /usr/lib/bats/bats-assert/load.bash bats-assert
check /usr/bin/python3 python3
check valgrind valgrind
check tmux tmux
check man man-db
check groff groff
check socat socat
check strace strace
check ip iproute2
check unshare util-linux
check dnsmasq dnsmasq-base
check tcpdump tcpdump
check tshark tshark
check nc.openbsd netcat-openbsd
check ncat ncat
check clang clang
check /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev
check fish fish
check zsh zsh
check /usr/share/bash-completion/bash_completion bash-completion
# the kernel lab (tests/kernel/, 60-kernel.bats): qemu, Debian's kernel, busybox
check qemu-system-x86_64 qemu-system-x86
check "$(ls -d /boot/vmlinuz-* 2>/dev/null | tail -n1)" linux-image-amd64
check /bin/busybox busybox-static
check cpio cpio
check depmod kmod
check xz xz-utils
# the kernel lab's Bluetooth radios (btvirt, links only libc)
check btvirt bluez-test-tools
check candump can-utils
[ -z "$need" ] && exit 0
[ "$(id -u)" = 0 ] || { echo "tests/install-deps.sh: need root to install:$need" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
echo "installing:$need" >&2
apt-get update -qq >/dev/null
# tshark asks whether non-root users may capture; answer no
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
apt-get install -y -qq --no-install-recommends $need >/dev/null
