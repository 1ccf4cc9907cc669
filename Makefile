# sockit - the socket module on the command line.
# make            build ./sockit
# make check      run the bats suite (installs bats & co. with apt-get when missing)
# make asan       run the suite on an ASan+UBSan build
# make valgrind   run the suite under valgrind
# make install    PREFIX=/usr/local DESTDIR=

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS += -D_GNU_SOURCE -Isrc
LDLIBS  += -lpthread -lm
PREFIX  ?= /usr/local
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

SRCS := $(sort $(wildcard src/*.c src/core/*.c src/cmd/*.c src/eval/*.c))
HDRS := $(wildcard src/*.h src/*.def src/core/*.h src/core/*.def src/cmd/*.h src/eval/*.h)
BUILD ?= build
BIN ?= sockit
OBJS := $(SRCS:src/%.c=$(BUILD)/%.o)

all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DSOCKIT_VERSION='"$(VERSION)"' $(CFLAGS) $(WARN) -c -o $@ $<

deps:
	@sh tests/install-deps.sh

check: $(BIN) deps
	SOCKIT=$(abspath $(BIN)) bats $(BATSFLAGS) tests/

# the kernel lab alone (tests/kernel/run.sh; `make check` runs it as
# tests/60-kernel.bats): CAN, ALG, TIPC, RDS, QRTR, SCTP, VSOCK under qemu
check-kernel: deps
	sh tests/kernel/run.sh

asan:
	$(MAKE) BUILD=build-asan CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		LDFLAGS='-fsanitize=address,undefined' sockit-asan
	$(MAKE) deps
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		SOCKIT=$(CURDIR)/sockit-asan bats $(BATSFLAGS) tests/

sockit-asan: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

valgrind: $(BIN) deps
	SOCKIT_WRAP='valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --track-fds=yes' \
		SOCKIT=$(abspath $(BIN)) bats $(BATSFLAGS) tests/

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/sockit
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 completions/sockit.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sockit
	install -m 644 completions/_sockit $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sockit
	install -m 644 completions/sockit.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/sockit.fish

clean:
	rm -rf build build-asan build-fuzz fuzz/bin fuzz/out sockit sockit-asan

# libFuzzer harnesses (fuzz/fuzz_*.c), each run FUZZ_SECONDS on a copy of
# its seed corpus fuzz/corpus/NAME; crashes land in fuzz/out/.
FUZZ_SECONDS ?= 10
FUZZ_CC ?= clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJS = $(filter-out build-fuzz/main.o,$(SRCS:src/%.c=build-fuzz/%.o))
FUZZERS := $(patsubst fuzz/%.c,fuzz/bin/%,$(wildcard fuzz/fuzz_*.c))

fuzz: $(FUZZERS)
	@sh tests/install-deps.sh
	@set -e; for f in $(FUZZERS); do \
		name=$${f#fuzz/bin/fuzz_}; work=fuzz/out/$$name; mkdir -p $$work/corpus; \
		cp fuzz/corpus/$$name/* $$work/corpus/ 2>/dev/null || true; \
		echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 \
			-artifact_prefix=$$work/ $$work/corpus >$$work/log 2>&1 || { tail -n 40 $$work/log; exit 1; }; \
		grep -E '^#[0-9]+.*DONE' $$work/log | tail -n 1; \
	done

fuzz/bin/%: fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p fuzz/bin
	$(FUZZ_CC) $(CPPFLAGS) -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LDLIBS)

.PRECIOUS: build-fuzz/%.o
build-fuzz/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -DSOCKIT_VERSION='"$(VERSION)"' -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(WARN) -c -o $@ $<

.PHONY: all deps check check-kernel asan valgrind install clean fuzz
