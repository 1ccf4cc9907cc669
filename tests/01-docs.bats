#!/usr/bin/env bats
# 01: documentation and completions against the command table.
#
# The table (src/front/commands.def, src/functions.def and the option
# specs) is the one source: `sockit
# __synopsis` prints every command's SYNOPSIS line, `sockit help CMD` its
# options, `sockit __complete` the completion candidates.  These tests fail
# when a man page, a completion script or the install target drifts from it.
#
# The SYNOPSIS rule for every page in man/: a `.SH SYNOPSIS` section whose
# text lines (between .nf and .fi) are exactly the lines `sockit __synopsis
# CMD` prints for the commands the page documents, in table order.  In the
# page source a hyphen may be written `\-` and fonts may be switched with
# \fB \fI \fR \fP; request lines (starting with '.') are ignored.
load helpers

ROOT="$BATS_TEST_DIRNAME/.."
MAN="$ROOT/man"
COMP="$ROOT/completions"

# The page that documents command $1.
page_of() {
	case $1 in
	help) echo sockit.1 ;;
	eval|shell) echo sockit-eval.1 ;;
	*)
		if is_task "$1"; then echo "sockit-$1.1"; else echo sockit-functions.1; fi ;;
	esac
}

# The task commands, as `sockit help` lists them.
task_commands() {
	sockit help | awk '/^Task commands:/ { t = 1; next } /^$/ { t = 0 } t { print $1 }'
}

is_task() {
	task_commands | grep -qxF -- "$1"
}

# The commands of the table, one per line.
all_commands() {
	sockit __synopsis | awk '{ print $2 }'
}

# Man page source text with groff escapes undone: \- -> -, fonts dropped.
man_text() {
	sed -e 's/\\f[BIRP]//g' -e 's/\\f([A-Z][A-Z]//g' -e 's/\\f\[[^]]*\]//g' \
	    -e 's/\\&//g' -e 's/\\[ ~]/ /g' -e 's/\\-/-/g' -e 's/\\(aq/'"'"'/g' \
	    -e 's/\\e/\\/g' -e 's/[[:space:]]*$//' "$@"
}

# The text lines of PAGE's SYNOPSIS section, unescaped.
man_synopsis() {
	awk '/^\.SH/ { s = ($2 == "SYNOPSIS" || $2 == "\"SYNOPSIS\""); next }
	    s && !/^\./ && !/^[[:space:]]*$/' "$1" | man_text
}

# The synopsis lines of the commands PAGE documents, in table order.
table_synopsis_of_page() {
	local cmd
	sockit __synopsis | while read -r line; do
		cmd=$(awk '{ print $2 }' <<<"$line")
		[ "$(page_of "$cmd")" = "$1" ] && printf '%s\n' "$line"
	done
}

# Every page the table calls for, and the ones present in man/.
pages() {
	{ all_commands | while read -r c; do page_of "$c"; done
	  (cd "$MAN" && ls *.1 2>/dev/null); echo sockit.1; } | sort -u
}

# check_page PAGE: the SYNOPSIS of PAGE is exactly the table's lines.
check_page() {
	local page=$1
	[ -f "$MAN/$page" ] || { echo "missing page: man/$page"; false; }
	diff -u <(table_synopsis_of_page "$page") <(man_synopsis "$MAN/$page" | grep '^sockit ' |
	    if [ "$page" = sockit.1 ]; then grep -v '^sockit \[GLOBAL OPTIONS\] COMMAND'; else cat; fi)
}

# ---- rendering ---------------------------------------------------------------

@test "every page renders with groff -ww -man without a warning" {
	local n=0 p
	for p in "$MAN"/*.1; do
		[ -f "$p" ] || continue
		run --separate-stderr groff -ww -man -z "$p"
		[ -z "$stderr" ] || { echo "$p: $stderr"; false; }
		assert_success
		n=$((n + 1))
	done
	[ "$n" -ge 2 ]
}

@test "every page renders with man -l, with a NAME section and no warning" {
	local p
	for p in "$MAN"/*.1; do
		run --separate-stderr env MANWIDTH=80 MAN_KEEP_FORMATTING= man -l "$p"
		[ -z "$stderr" ] || { echo "$p: $stderr"; false; }
		assert_success
		[[ "$output" == *NAME* ]] || { echo "$p has no NAME"; false; }
		grep -q '^\.TH ' "$p" || { echo "$p has no .TH"; false; }
	done
}

@test "man --warnings (mandoc-style lint through groff) finds nothing" {
	local p
	for p in "$MAN"/*.1; do
		run --separate-stderr env MANWIDTH=80 man --warnings=all -l "$p"
		[ -z "$stderr" ] || { echo "$p: $stderr"; false; }
	done
}

@test "every page has one .TH form: its name, one full date, the version of VERSION" {
	local p t dates=
	for p in "$MAN"/*.1; do
		t=$(basename "$p" .1 | tr a-z A-Z)
		run grep -c '^\.TH ' "$p"
		assert_output 1
		run grep '^\.TH ' "$p"
		assert_output --regexp "^\\.TH $t 1 \"[0-9]{4}-[0-9]{2}-[0-9]{2}\" \"sockit $(cat "$ROOT/VERSION")\" \"User Commands\"\$"
		dates+="$(cut -d'"' -f2 <<<"$output")"$'\n'
	done
	[ "$(sort -u <<<"$dates" | grep -c .)" = 1 ] || { echo "dates differ: $dates"; false; }
}

@test "pages render escapes as written: no stray space after a backslash, one backslash where one is meant" {
	local p
	for p in "$MAN"/*.1; do
		run env MANWIDTH=200 man -l "$p"
		refute_output --regexp '\\ '
	done
	run env MANWIDTH=200 man -l "$MAN/sockit-can-send.1"
	assert_output --partial "b'\\x00abc'"
	assert_output --partial "b'\\xde\\xad\\xbe\\xef'"
	run env MANWIDTH=200 man -l "$MAN/sockit-sniff.1"
	assert_output --partial 'ip proto \tcp,'
}

# doc_example PAGE CMD: the output lines the page shows after "$ CMD" in an
# .EX block (page source unescaped), up to the next "$ " line or .EE.
doc_example() {
	"$PY" - "$MAN/$1" "$2" <<'PYEOF'
import sys
src = open(sys.argv[1], encoding="utf-8").read().splitlines()
def unesc(t):
    for a, b in (("\\(aq", "'"), ("\\(dq", '"'), ("\\-", "-"), ("\\e", "\\")):
        t = t.replace(a, b)
    return t
lines = [unesc(l) for l in src]
i = lines.index("$ " + sys.argv[2])
out = []
for l in lines[i + 1:]:
    if l.startswith("$ ") or l.startswith(".EE"):
        break
    out.append(l)
print("\n".join(out))
PYEOF
}

@test "the const 'A|B' and -r gethostbyname_ex examples show what sockit prints" {
	run doc_example sockit-functions.1 "sockit const 'AI_CANONNAME|AI_PASSIVE'"
	assert_success
	local want=$output
	run sockit const 'AI_CANONNAME|AI_PASSIVE'
	assert_output "$want"
	for page in sockit-functions.1 sockit.1; do
		run doc_example $page "sockit -r gethostbyname_ex localhost"
		assert_success
		want=$output
		run sockit -r gethostbyname_ex localhost
		assert_output "$want"
	done
}

@test "no page cites the project's internal documents" {
	run grep -nE 'SPEC|DESIGN|notes/|issue [0-9]' "$MAN"/*.1
	assert_output ""
}

# ---- SYNOPSIS against the table ----------------------------------------------

@test "__synopsis: one line per command, each starting with 'sockit NAME'" {
	run sockit __synopsis
	assert_success
	[ "${#lines[@]}" -eq "$(all_commands | wc -l)" ]
	[ "$(all_commands | sort | uniq -d)" = "" ]
	run sockit __synopsis getaddrinfo
	assert_output "sockit getaddrinfo HOST PORT [FAMILY [TYPE [PROTO [FLAGS]]]]"
}

@test "__synopsis: Python signatures become clean command lines" {
	run sockit __synopsis create_connection
	assert_output "sockit create_connection ADDRESS [TIMEOUT [SOURCE_ADDRESS]] [--all_errors=VALUE]"
	run sockit __synopsis const
	assert_output "sockit const [PATTERN]"
	run sockit __synopsis has_ipv6
	assert_output "sockit has_ipv6"
	run sockit __synopsis socket
	assert_output "sockit socket [FAMILY [TYPE [PROTO [FILENO]]]]"
	run sockit __synopsis gethostname
	assert_output "sockit gethostname"
	run sockit __synopsis create_server
	assert_output "sockit create_server ADDRESS [--family=VALUE] [--backlog=VALUE] [--reuse_port=VALUE] [--dualstack_ipv6=VALUE]"
	# no stray punctuation from a Python signature; '=' only in --name=VALUE
	local line
	while read -r line; do
		[[ "$line" != *[\(\),\*\'\"]* ]] || { echo "stray punctuation: $line"; false; }
		[[ "$(sed -E 's/--[a-z0-9_]+=VALUE//g' <<<"$line")" != *=* ]] || { echo "stray '=': $line"; false; }
	done < <(sockit __synopsis | grep -v '^sockit [a-z-]*-' )
}

@test "sockit.1 SYNOPSIS carries help's line" {
	check_page sockit.1
	man_synopsis "$MAN/sockit.1" | grep -qxF 'sockit [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]'
}

@test "sockit-functions.1 SYNOPSIS is every function command's line" {
	check_page sockit-functions.1
}

@test "sockit-functions.1 has a section per function command with its synopsis and signature" {
	local p="$MAN/sockit-functions.1" line cmd
	[ -f "$p" ] || { echo "missing page: man/sockit-functions.1"; false; }
	local text; text=$(man_text "$p")
	while read -r line; do
		cmd=$(awk '{ print $2 }' <<<"$line")
		[ "$(page_of "$cmd")" = sockit-functions.1 ] || continue
		grep -qxF ".SS $cmd" "$p" || { echo "no .SS $cmd"; false; }
		# the synopsis again in its section, and the Python signature
		grep -qF -- "$line" <<<"$text" || { echo "no synopsis for $cmd"; false; }
		sig=$(sockit help "$cmd" | sed -n 's/^Python: socket\.//p')
		grep -qF -- "$sig" <<<"$text" || { echo "no signature $sig"; false; }
	done < <(sockit __synopsis)
}

@test "sockit-eval.1 SYNOPSIS: eval and shell" { check_page sockit-eval.1; }
@test "sockit-resolve.1 SYNOPSIS" { check_page sockit-resolve.1; }
@test "sockit-connect.1 SYNOPSIS" { check_page sockit-connect.1; }
@test "sockit-listen.1 SYNOPSIS" { check_page sockit-listen.1; }
@test "sockit-echo.1 SYNOPSIS" { check_page sockit-echo.1; }
@test "sockit-sniff.1 SYNOPSIS" { check_page sockit-sniff.1; }
@test "sockit-can-send.1 SYNOPSIS" { check_page sockit-can-send.1; }
@test "sockit-fds-pass.1 SYNOPSIS" { check_page sockit-fds-pass.1; }

# each_page PAGE_FN CHECK_FN ITEM...: CHECK_FN ITEM PAGE for every ITEM
# whose page, $(PAGE_FN ITEM), is in man/; then fails naming the missing
# pages, if any.
each_page() {
	local page_fn=$1 check_fn=$2 item page missing=""
	shift 2
	for item in "$@"; do
		page=$("$page_fn" "$item")
		if [ ! -f "$MAN/$page" ]; then
			missing="$missing $page"
			continue
		fi
		"$check_fn" "$item" "$page"
	done
	[ -z "$missing" ] || { echo "missing page: $missing"; false; }
}

# no_stale_commands PAGE PAGE: every 'sockit NAME' of PAGE's SYNOPSIS is a
# command of the table that PAGE documents.
no_stale_commands() {
	local p=$2 cmd
	for cmd in $(man_synopsis "$MAN/$p" | awk '/^sockit / { print $2 }'); do
		[ "$cmd" = "[GLOBAL" ] && continue
		all_commands | grep -qxF -- "$cmd" || { echo "$p: stale command $cmd"; false; }
		[ "$(page_of "$cmd")" = "$p" ] || { echo "$p documents $cmd, whose page is $(page_of "$cmd")"; false; }
	done
}

@test "every command of the table has its page, and no page documents a stale command" {
	each_page echo no_stale_commands $(pages)
}

@test "sockit.1 SEE ALSO lists every page" {
	[ -f "$MAN/sockit.1" ] || { echo "missing page: man/sockit.1"; false; }
	local see p
	see=$(awk '/^\.SH/ { s = ($2 == "SEE"); next } s' "$MAN/sockit.1" | man_text)
	for p in $(pages); do
		[ "$p" = sockit.1 ] && continue
		grep -qE "(^|[^a-z-])${p%.1}\(1\)|^\.BR ${p%.1} \(1\)" <<<"$see" ||
		    { echo "SEE ALSO lacks ${p%.1}(1)"; false; }
	done
}

# ---- usage and options -------------------------------------------------------

@test "every command's -h, --help and 'help CMD' start with its synopsis" {
	local line cmd first notimpl=""
	while read -r line; do
		cmd=$(awk '{ print $2 }' <<<"$line")
		run sockit "$cmd" -h
		if [[ "$output" == *NotImplementedError* ]]; then
			notimpl="$notimpl $cmd"
			continue
		fi
		assert_success
		first=${lines[0]}
		[ "$first" = "usage: sockit [GLOBAL OPTIONS] ${line#sockit }" ] ||
		    { echo "$cmd -h: '$first' != '$line'"; false; }
		[ "$(sockit "$cmd" --help)" = "$output" ]
		[ "$(sockit help "$cmd")" = "$output" ]
	done < <(sockit __synopsis)
	[ -z "$notimpl" ] || { echo "not implemented:$notimpl"; false; }
}

# options_documented CMD PAGE: every option of CMD's help is in PAGE.
options_documented() {
	local cmd=$1 page=$2 opts o
	# "  -z, --zero   ...", "      --send=DATA   ..."
	opts=$(sockit help "$cmd" | awk '/^Options:/ { o = 1; next } o && /^  / { print }' |
	    grep -oE '^ +(-[^ ,], )?--[A-Za-z0-9_-]+' | grep -oE -- '(^| )-[^ ,-]|--[A-Za-z0-9_-]+') || true
	for o in $opts; do
		man_text "$MAN/$page" | grep -qE -- "(^|[^A-Za-z0-9_-])$o([^A-Za-z0-9_-]|$)" ||
		    { echo "$page does not document $cmd's $o"; false; }
	done
}

@test "every option of every task command is in its man page" {
	each_page page_of options_documented $(task_commands)
}

@test "every global option is in sockit.1" {
	[ -f "$MAN/sockit.1" ] || { echo "missing page: man/sockit.1"; false; }
	local o text
	text=$(man_text "$MAN/sockit.1")
	for o in $(sockit help | awk '/^Global options/ { g = 1; next } g && /^  -/' |
	    grep -oE -- '(^| )-[^ ,-]|--[a-z0-9-]+'); do
		grep -qE -- "(^|[^A-Za-z0-9_-])$o([^A-Za-z0-9_-]|$)" <<<"$text" ||
		    { echo "sockit.1 does not document $o"; false; }
	done
}

@test "sockit.1 documents every exit status of SPEC section 5" {
	[ -f "$MAN/sockit.1" ] || { echo "missing page: man/sockit.1"; false; }
	local sect code
	sect=$(awk '/^\.SH/ { s = ($0 ~ /EXIT STATUS/); next } s' "$MAN/sockit.1")
	for code in 0 1 2 3 4 130 143; do
		grep -qE "^\\.(IP|TP|B) *$code\b|^$code\$" <<<"$sect" || { echo "exit $code undocumented"; false; }
	done
}

# ---- completion ----------------------------------------------------------------

@test "__complete: options after the command, keyword arguments, formats" {
	run sockit __complete getaddrinfo --t
	assert_line -- "--type="
	assert_line -- "--timeout="
	run sockit __complete create_connection --all
	assert_output -- "--all_errors="
	run sockit __complete --format=j
	assert_output -- "--format=json"
	run sockit __complete getaddrinfo -f r
	assert_output raw
	run sockit __complete --format json get
	assert_line getaddrinfo
	run sockit __complete -t 5 htons --v
	assert_line -- "--verbose"
	assert_line -- "--version"
}

@test "__complete: constants, flag combinations, keyword values" {
	run sockit __complete getaddrinfo localhost 80 'AI_CANONNAME|AI_PASS'
	assert_output "AI_CANONNAME|AI_PASSIVE"
	run sockit __complete getaddrinfo --type=SOCK_DG
	assert_output "--type=SOCK_DGRAM"
	run sockit __complete socket AF_INE
	assert_line AF_INET
	assert_line AF_INET6
}

@test "__complete: help COMMAND, fds-pass modes, nothing for a file argument or unknown command" {
	run sockit __complete help con
	assert_line connect
	assert_line const
	run sockit __complete fds-pass re
	assert_output recv
	run sockit __complete frobnicate ''
	assert_output ""
	run sockit __complete -t ''
	assert_output ""
	run sockit __complete --describe ge
	assert_line "$(printf 'getaddrinfo\tresolve a host and port into socket addresses')"
}

@test "__complete: every option of every task command is offered" {
	local cmd o
	for cmd in $(task_commands); do
		for o in $(sockit help "$cmd" | awk '/^Options:/ { o = 1; next } o && /^  /' |
		    grep -oE -- '--[A-Za-z0-9_-]+'); do
			sockit __complete "$cmd" -- | grep -qE -- "^$o=?\$" || { echo "$cmd: $o not offered"; false; }
		done
	done
}

@test "__complete: an option's FILE argument gets no candidates (the shell completes files)" {
	local cmd line opt
	for cmd in $(task_commands); do
		while read -r opt; do
			run sockit __complete "$cmd" "$opt" ''
			assert_output ""
		done < <(sockit help "$cmd" | awk '/^Options:/ { o = 1; next } o && /^  /' |
		    grep -oE -- '--[A-Za-z0-9_-]+[ =](FILE|PATH|DIR)\b' | grep -oE -- '--[A-Za-z0-9_-]+')
	done
}

# A directory where `sockit` is the binary under test, for the shells.
sockit_path() {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -sf "$SOCKIT" "$BATS_TEST_TMPDIR/bin/sockit"
	echo "$BATS_TEST_TMPDIR/bin"
}

@test "bash completion loads and completes through sockit __complete" {
	[ -f /usr/share/bash-completion/bash_completion ]
	local bin; bin=$(sockit_path)
	run env PATH="$bin:$PATH" bash --norc --noprofile -c '
		source /usr/share/bash-completion/bash_completion
		source "$1"
		complete -p sockit || exit 1
		comp() {	# comp LINE WORD...: complete the last word as readline splits it
			COMP_LINE=$1; COMP_POINT=${#1}; shift
			COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
			_sockit sockit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
			echo "${COMPREPLY[*]}"
		}
		comp "sockit gethostby" sockit gethostby
		comp "sockit getaddrinfo --fam" sockit getaddrinfo --fam
		comp "sockit --format=j" sockit --format = j
		comp "sockit getaddrinfo h 0 AI_CANONNAME|AI_PAS" sockit getaddrinfo h 0 AI_CANONNAME "|" AI_PAS
		comp "sockit -f " sockit -f ""
	' bash "$COMP/sockit.bash"
	assert_success
	assert_line "gethostbyaddr gethostbyname gethostbyname_ex"
	assert_line -- "--family="
	assert_line json
	assert_line AI_PASSIVE
	assert_line "py json raw"
}

@test "bash completion works without bash-completion too" {
	local bin; bin=$(sockit_path)
	run env PATH="$bin:$PATH" bash --norc --noprofile -c '
		source "$1"
		COMP_WORDS=(sockit htons --ver); COMP_CWORD=2; COMP_LINE="sockit htons --ver"; COMP_POINT=${#COMP_LINE}
		_sockit; echo "${COMPREPLY[*]}"
	' bash "$COMP/sockit.bash"
	assert_success
	assert_output -- "--verbose --version"
}

@test "zsh completion loads, registers _sockit and calls sockit __complete" {
	command -v zsh >/dev/null
	local bin; bin=$(sockit_path)
	run env PATH="$bin:$PATH" zsh -f -c '
		autoload -U compinit; compinit -u -d "$2/zcompdump" || exit 1
		source "$1" || exit 1
		[[ ${_comps[sockit]} == _sockit ]] || { echo "not registered"; exit 1; }
		# stubs recording what the function hands to the completion system
		compadd() { local -a o; while (( $# )); do case $1 in (-a) o+=(${(P)2}); shift 2;; (-d) shift 2;; (*) shift;; esac; done; print -rl -- $o; }
		_files() { print -r -- "(files)"; }
		words=(sockit gethostby); CURRENT=2; PREFIX=gethostby; _sockit
		words=(sockit getaddrinfo --fam); CURRENT=3; PREFIX=--fam; _sockit
		words=(sockit help); CURRENT=2; PREFIX=help; _sockit
		words=(sockit frobnicate ""); CURRENT=3; PREFIX=; _sockit
	' zsh "$COMP/_sockit" "$BATS_TEST_TMPDIR"
	assert_success
	assert_line gethostbyname_ex
	assert_line -- "--family="
	assert_line help
	assert_line "(files)"
	grep -q 'sockit\?"\? __complete\|"$prog" __complete' "$COMP/_sockit"
}

@test "fish completion loads and completes through sockit __complete" {
	command -v fish >/dev/null
	local bin; bin=$(sockit_path)
	run env PATH="$bin:$PATH" HOME="$BATS_TEST_TMPDIR" fish --no-config -c "
		source '$COMP/sockit.fish'; or exit 1
		complete -C 'sockit get'
		complete -C 'sockit getaddrinfo --fam'
		complete -C 'sockit --format=r'
		complete -C 'sockit fds-pass se'"
	assert_success
	assert_line --regexp $'^getaddrinfo\t'
	assert_line --regexp $'^--family=\t'
	assert_line --regexp $'^--format=raw\t'
	assert_line send
	assert_line serve
}

@test "the completion scripts name no command or option themselves" {
	local cmd f
	for f in "$COMP/sockit.bash" "$COMP/_sockit" "$COMP/sockit.fish"; do
		for cmd in getaddrinfo connect listen --format --json; do
			! grep -v '^#' "$f" | grep -qw -- "$cmd" || { echo "$f names $cmd"; false; }
		done
	done
}

# ---- install -------------------------------------------------------------------

@test "make install puts the binary, every page and the completions in place" {
	local d="$BATS_TEST_TMPDIR/root" p
	run make -s -C "$ROOT" install DESTDIR="$d" PREFIX=/usr BIN="$SOCKIT" -o "$SOCKIT"
	assert_success
	[ -x "$d/usr/bin/sockit" ]
	cmp "$SOCKIT" "$d/usr/bin/sockit"
	for p in "$MAN"/*.1; do
		cmp "$p" "$d/usr/share/man/man1/${p##*/}"
	done
	cmp "$COMP/sockit.bash" "$d/usr/share/bash-completion/completions/sockit"
	cmp "$COMP/_sockit" "$d/usr/share/zsh/site-functions/_sockit"
	cmp "$COMP/sockit.fish" "$d/usr/share/fish/vendor_completions.d/sockit.fish"
	# the installed page is found by man
	if [ -f "$MAN/sockit.1" ]; then
		run env MANPATH="$d/usr/share/man" MANWIDTH=80 man sockit
		assert_success
		assert_output --partial "sockit"
	fi
}

@test "make: a builder's CPPFLAGS, CFLAGS, LDFLAGS and LDLIBS add to sockit's own; -Werror only with WERROR=1" {
	# a dry run (-n) of one object and the link, as a distribution calls it
	# (not the WERROR=1 of the make that runs this suite: MAKEFLAGS, env)
	local -x MAKEFLAGS= MFLAGS= MAKELEVEL= WERROR=
	run make -s -n -B -C "$ROOT" BUILD="$BATS_TEST_TMPDIR/b" BIN="$BATS_TEST_TMPDIR/b/s" \
	    CPPFLAGS=-DDISTRO_CPP CFLAGS=-DDISTRO_C LDFLAGS=-Wl,-z,relro LDLIBS=-ldistro \
	    "$BATS_TEST_TMPDIR/b/s"
	assert_success
	local cc link
	cc=$(grep -e ' -c .*src/value\.c' <<<"$output")
	link=$(grep -e " -o $BATS_TEST_TMPDIR/b/s " <<<"$output")
	for f in -D_GNU_SOURCE -Isrc -DSOCKIT_VERSION= -Wall -MMD -DDISTRO_CPP -DDISTRO_C; do
		[[ "$cc" == *" $f"* ]] || { echo "no $f in: $cc"; false; }
	done
	[[ "$cc" != *-Werror* ]]
	for f in -Wl,-z,relro -ldistro -lpthread -lm; do
		[[ "$link" == *" $f"* ]] || { echo "no $f in: $link"; false; }
	done
	run make -s -n -B -C "$ROOT" BUILD="$BATS_TEST_TMPDIR/b" WERROR=1 "$BATS_TEST_TMPDIR/b/value.o"
	assert_success
	assert_output --partial " -Werror"
}

@test "link: every global symbol of an object is used by another one (a file's own are static)" {
	command -v nm >/dev/null || skip "no nm"
	local o="$BATS_TEST_TMPDIR/o" f s bad=
	run make -s -j2 -C "$ROOT" BUILD="$o" BIN="$o/sockit" CFLAGS=-O0 "$o/sockit"
	assert_success
	for f in $(find "$o" -name '*.o'); do
		nm "$f" | awk -v f="$f" 'NF == 3 && $2 ~ /^[TDBRCG]$/ { print "D", $3, f } $1 == "U" { print "U", $2, f }'
	done >"$BATS_TEST_TMPDIR/syms"
	# the symbols defined in one object that no other one references
	run awk '$1 == "D" { def[$2] = $3 } $1 == "U" { use[$2] = use[$2] " " $3 }
	    END { for (s in def) { n = split(use[s], u, " "); other = 0
	        for (i = 1; i <= n; i++) if (u[i] != def[s]) other = 1
	        if (!other && s != "main") print s } }' "$BATS_TEST_TMPDIR/syms"
	assert_success
	# the harnesses of fuzz/ call into the objects too
	for s in $output; do
		grep -qw -- "$s" "$ROOT"/fuzz/*.c || bad="$bad $s"
	done
	[ -z "$bad" ] || { echo "used in one object only, make them static:$bad"; false; }
}
