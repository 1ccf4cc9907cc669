#!/usr/bin/env bats
# 02: the layer rule of src/LAYERS: nothing in the runtime includes a header
# of the front (src/front/) or of the commands (src/cmd/), or references a
# symbol they define.  Checked on the sources' #include lines and on the
# objects of the build (nm): a new arrow upwards fails here.
load helpers

ROOT="$BATS_TEST_DIRNAME/.."
BUILD_DIR=${SOCKIT_BUILD:-$ROOT/build}

# The runtime's sources: everything under src/ but front/ and cmd/.
runtime_sources() {
	find "$ROOT/src" -name '*.[ch]' ! -path '*/src/front/*' ! -path '*/src/cmd/*' | sort
}

@test "layers: no runtime source includes a front or command header" {
	local bad
	bad=$(runtime_sources | xargs grep -nE '#include "(front|cmd)/' || true)
	[ -z "$bad" ] || { echo "runtime includes an upper layer:"; echo "$bad"; return 1; }
	# the front's headers are where the rule says
	[ -f "$ROOT/src/front/opt.h" ] && [ -f "$ROOT/src/front/front.h" ]
}

@test "layers: no runtime object references a symbol of the front or the commands" {
	local upper runtime o sym src bad=""
	upper=$(find "$BUILD_DIR/front" "$BUILD_DIR/cmd" -maxdepth 1 -name '*.o' 2>/dev/null | sort)
	[ -n "$upper" ] || skip "no objects in $BUILD_DIR (build first)"
	# the object of every runtime .c file
	runtime=""
	for src in $(runtime_sources | grep '\.c$'); do
		o=${src#"$ROOT/src/"}
		o="$BUILD_DIR/${o%.c}.o"
		[ -f "$o" ] || { echo "missing object $o"; return 1; }
		runtime="$runtime $o"
	done
	nm --defined-only $upper | awk 'NF == 3 && $2 ~ /[TDBRC]/ { print $3 }' | sort -u >"$BATS_TEST_TMPDIR/upper"
	[ -s "$BATS_TEST_TMPDIR/upper" ]
	for o in $runtime; do
		for sym in $(nm -u "$o" | awk '{ print $2 }' | grep -xFf "$BATS_TEST_TMPDIR/upper" || true); do
			bad="$bad ${o#"$BUILD_DIR"/}:$sym"
		done
	done
	[ -z "$bad" ] || { echo "runtime objects reference the front or commands:$bad"; return 1; }
}

@test "layers: the check would catch an upward reference" {
	# a runtime object that calls a front function is reported
	local upper
	upper=$(find "$BUILD_DIR/front" -name 'opt.o' 2>/dev/null)
	[ -n "$upper" ] || skip "no objects in $BUILD_DIR"
	printf 'int opt_parse(); int f(void) { return opt_parse(); }\n' >"$BATS_TEST_TMPDIR/x.c"
	cc -c -o "$BATS_TEST_TMPDIR/x.o" "$BATS_TEST_TMPDIR/x.c"
	nm --defined-only "$upper" | awk 'NF == 3 && $2 ~ /[TDBRC]/ { print $3 }' >"$BATS_TEST_TMPDIR/upper"
	run bash -c "nm -u '$BATS_TEST_TMPDIR/x.o' | awk '{ print \$2 }' | grep -xFf '$BATS_TEST_TMPDIR/upper'"
	assert_success
	assert_output opt_parse
}

@test "families: one row each in core/family.c, its functions in core/af_*.c; the dispatch names none" {
	local f rows
	# sockaddr.c and emit.c dispatch through the table, never on an AF_ constant
	run grep -nE 'case AF_[A-Z0-9]+:' "$ROOT/src/core/sockaddr.c" "$ROOT/src/emit.c"
	assert_failure
	# every family file defines rows, and each row is in the table
	for f in "$ROOT"/src/core/af_*.c; do
		rows=$(grep -oE '^const struct family family_[a-z0-9]+' "$f" | awk '{ print $4 }')
		[ -n "$rows" ] || { echo "$f defines no family row"; return 1; }
		for r in $rows; do
			grep -q "&$r\b" "$ROOT/src/core/family.c" || { echo "$r is not in family.c's table"; return 1; }
		done
	done
	# and the table points at nothing else
	for r in $(grep -oE '&family_[a-z0-9]+' "$ROOT/src/core/family.c" | tr -d '&'); do
		grep -qE "^const struct family $r\b" "$ROOT"/src/core/af_*.c || { echo "$r has no file"; return 1; }
	done
}

@test "objects: value.c and emit.c know no particular object; sockets plug in through their ops" {
	local o sym
	[ -f "$BUILD_DIR/value.o" ] || skip "no objects in $BUILD_DIR"
	for o in value emit; do
		sym=$(nm -u "$BUILD_DIR/$o.o" | awk '{ print $2 }' | grep -E '^(sock_|file_|v_socket)' || true)
		[ -z "$sym" ] || { echo "$o.o calls $sym"; return 1; }
	done
	run grep -n 'core/sock.h' "$ROOT/src/value.c" "$ROOT/src/emit.c"
	assert_failure
}

@test "style: 80 columns in src/ and fuzz/ (a message too long for any line kept whole)" {
	run "$PY" "$ROOT/tests/tools/columns.py" $(cd "$ROOT" && git ls-files \
	    'src/*.[ch]' 'src/*.def' 'fuzz/*.c' | sed "s|^|$ROOT/|")
	assert_success
	assert_output ""
	# the check catches a wide line of code, and excuses only the message
	printf '\tx = aaaaaaaaaa + bbbbbbbbbb + cccccccccc + dddddddddd + eeeeeeeeee + ffffffffff;\n' >"$BATS_TEST_TMPDIR/w.c"
	printf '\t\terr_set(EXC_TYPE, "%s");\n' "$(printf 'm%.0s' $(seq 70))" >>"$BATS_TEST_TMPDIR/w.c"
	run "$PY" "$ROOT/tests/tools/columns.py" "$BATS_TEST_TMPDIR/w.c"
	assert_failure 1
	assert_output --partial "w.c:1: x = aaaa"
	refute_output --partial "w.c:2"
}
