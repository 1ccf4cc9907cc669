# sockit - the socket module on the command line.
# make            build ./sockit (warnings are errors with WERROR=1, as CI sets)
# make check      run the bats suite (installs bats & co. with apt-get when missing)
# make asan       run the suite on an ASan+UBSan build
# make tsan       run the resolve tests (its worker threads) on a ThreadSanitizer
#                 build, build-tsan/sockit-tsan
# make valgrind   run the suite under valgrind
# make fuzz       run each libFuzzer harness FUZZ_SECONDS
# make install    PREFIX=/usr/local DESTDIR=
# make man-th     the pages' .TH lines from VERSION (and MANDATE=YYYY-MM-DD)
#
# CC, CPPFLAGS, CFLAGS, LDFLAGS and LDLIBS are the builder's (a distribution
# passes its own, e.g. dpkg-buildflags'); what sockit itself needs is in the
# SOCKIT_* variables below, which those never replace.

CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

WARN     = -Wall -Wextra -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN    += -Werror
endif
SOCKIT_CPPFLAGS = -D_GNU_SOURCE -Isrc -DSOCKIT_VERSION='"$(VERSION)"'
SOCKIT_LDLIBS   = -lpthread -lm
# each object's header dependencies, in a .d file next to it
DEPFLAGS = -MMD -MP

SRCS := $(sort $(wildcard src/*.c src/front/*.c src/core/*.c src/cmd/*.c src/eval/*.c))
BUILD ?= build
BIN ?= sockit
OBJS := $(SRCS:src/%.c=$(BUILD)/%.o)

all: $(BIN)

$(BIN): $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS) $(SOCKIT_LDLIBS)

$(BUILD)/%.o: src/%.c Makefile $(wildcard VERSION)
	@mkdir -p $(dir $@)
	$(CC) $(SOCKIT_CPPFLAGS) $(CPPFLAGS) $(WARN) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

-include $(OBJS:.o=.d)

deps:
	@sh tests/install-deps.sh

check: $(BIN) deps
	SOCKIT=$(abspath $(BIN)) SOCKIT_BUILD=$(abspath $(BUILD)) SUITE_LOG=$(BUILD)/check.tap \
		tests/run-suite.sh $(BATSFLAGS)

# the kernel lab alone (tests/kernel/run.sh; `make check` runs it as
# tests/60-kernel.bats): CAN, ALG, TIPC, RDS, QRTR, SCTP, VSOCK under qemu
check-kernel: deps
	sh tests/kernel/run.sh

# asan: the suite on an ASan+UBSan build of its own (ASAN_BUILD, ASAN_BIN).
# Sanitizer reports go to files in ASAN_BUILD/reports, so that those of
# servers run in the background and killed in teardown, whose exit status
# no test looks at, fail the target too.
ASAN_BUILD ?= build-asan
ASAN_BIN ?= sockit-asan
ASAN_CFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan:
	$(MAKE) BUILD=$(ASAN_BUILD) BIN=$(ASAN_BIN) CFLAGS='$(ASAN_CFLAGS)' \
		LDFLAGS='-fsanitize=address,undefined' $(ASAN_BIN)
	$(MAKE) deps
	@rm -rf $(ASAN_BUILD)/reports && mkdir -p $(ASAN_BUILD)/reports
	@st=0; ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$(abspath $(ASAN_BUILD))/reports/asan \
		UBSAN_OPTIONS=print_stacktrace=1:log_path=$(abspath $(ASAN_BUILD))/reports/ubsan \
		SOCKIT=$(abspath $(ASAN_BIN)) SOCKIT_BUILD=$(abspath $(ASAN_BUILD)) tests/sandbox.sh bats $(BATSFLAGS) tests/ || st=$$?; \
	if [ -n "$$(ls -A $(ASAN_BUILD)/reports)" ]; then \
		echo "asan: sanitizer reports in $(ASAN_BUILD)/reports:"; cat $(ASAN_BUILD)/reports/*; st=1; \
	fi; exit $$st

# tsan: the resolve tests (resolve's worker threads share the runtime) on a
# ThreadSanitizer build of its own (TSAN_BUILD, TSAN_BIN); as with asan, the
# reports go to files in TSAN_BUILD/reports and any report fails the target.
TSAN_BUILD ?= build-tsan
TSAN_BIN ?= $(TSAN_BUILD)/sockit-tsan
TSAN_CFLAGS = -O1 -g -fsanitize=thread -fno-omit-frame-pointer
TSAN_TESTS ?= tests/30-resolve.bats
tsan:
	$(MAKE) BUILD=$(TSAN_BUILD) BIN=$(TSAN_BIN) CFLAGS='$(TSAN_CFLAGS)' \
		LDFLAGS='-fsanitize=thread' $(TSAN_BIN)
	$(MAKE) deps
	@rm -rf $(TSAN_BUILD)/reports && mkdir -p $(TSAN_BUILD)/reports
	@st=0; TSAN_OPTIONS=log_path=$(abspath $(TSAN_BUILD))/reports/tsan \
		SOCKIT=$(abspath $(TSAN_BIN)) bats $(BATSFLAGS) $(TSAN_TESTS) || st=$$?; \
	if [ -n "$$(ls -A $(TSAN_BUILD)/reports)" ]; then \
		echo "tsan: sanitizer reports in $(TSAN_BUILD)/reports:"; cat $(TSAN_BUILD)/reports/*; st=1; \
	fi; exit $$st

# valgrind: the suite with every sockit under memcheck through tests/vg-wrap
# (see there); its findings, background servers' too, in BUILD/valgrind.log.
valgrind: $(BIN) deps
	@mkdir -p $(BUILD) && rm -f $(BUILD)/valgrind.log
	@st=0; SOCKIT_WRAP=$(CURDIR)/tests/vg-wrap VG_REPORT=$(abspath $(BUILD))/valgrind.log \
		SOCKIT=$(abspath $(BIN)) SOCKIT_BUILD=$(abspath $(BUILD)) tests/sandbox.sh bats $(BATSFLAGS) tests/ || st=$$?; \
	if [ -s $(BUILD)/valgrind.log ]; then \
		echo "valgrind: findings in $(BUILD)/valgrind.log:"; cat $(BUILD)/valgrind.log; st=1; \
	fi; exit $$st

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

# man-th: every page's .TH line from VERSION and MANDATE (YYYY-MM-DD, by
# default today), the one form tests/01-docs.bats checks; run it when
# VERSION changes.
MANDATE ?= $(shell date -u +%Y-%m-%d)
man-th:
	@for f in man/*.1; do \
		t=$$(basename $$f .1 | tr a-z A-Z); \
		sed -i "s/^\.TH .*/.TH $$t 1 \"$(MANDATE)\" \"sockit $(VERSION)\" \"User Commands\"/" $$f; \
	done

clean:
	rm -rf build build-asan build-tsan build-fuzz fuzz/bin fuzz/out sockit sockit-asan

# libFuzzer harnesses (fuzz/fuzz_*.c), each run FUZZ_SECONDS on a copy of
# its seed corpus fuzz/corpus/NAME; crashes land in fuzz/out/.  Extra
# libFuzzer flags of a harness come from fuzz/fuzz_NAME.options (later
# flags win).  fuzz/README says what each harness covers.
FUZZ_SECONDS ?= 10
FUZZ_CC ?= clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJS = $(filter-out build-fuzz/front/main.o,$(SRCS:src/%.c=build-fuzz/%.o))
FUZZERS := $(patsubst fuzz/%.c,fuzz/bin/%,$(wildcard fuzz/fuzz_*.c))

fuzz: $(FUZZERS)
	@sh tests/install-deps.sh
	@set -e; for f in $(FUZZERS); do \
		name=$${f#fuzz/bin/fuzz_}; work=fuzz/out/$$name; mkdir -p $$work/corpus; \
		cp fuzz/corpus/$$name/* $$work/corpus/ 2>/dev/null || true; \
		echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
		tests/sandbox.sh $$f -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 \
			$$(cat fuzz/fuzz_$$name.options 2>/dev/null) \
			-artifact_prefix=$$work/ $$work/corpus >$$work/log 2>&1 || { tail -n 40 $$work/log; exit 1; }; \
		grep -E '^#[0-9]+.*(DONE|job:)' $$work/log | tail -n 1; \
	done

fuzz/bin/%: fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p fuzz/bin
	$(FUZZ_CC) $(SOCKIT_CPPFLAGS) $(CPPFLAGS) -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer \
		-MMD -MP -MF $@.d -MT $@ -o $@ $< $(FUZZ_OBJS) $(LDLIBS) $(SOCKIT_LDLIBS)

.PRECIOUS: build-fuzz/%.o
build-fuzz/%.o: src/%.c Makefile $(wildcard VERSION)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(SOCKIT_CPPFLAGS) $(CPPFLAGS) -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(WARN) $(DEPFLAGS) -c -o $@ $<

-include $(FUZZ_OBJS:.o=.d) $(FUZZERS:=.d)

.PHONY: all deps check check-kernel asan tsan valgrind install man-th clean fuzz
