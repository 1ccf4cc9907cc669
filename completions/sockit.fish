# fish completion for sockit(1).
#
# Every candidate and its description come from
# `sockit __complete --describe WORDS... CUR`, which reads the command table
# and the option specs compiled into the binary: this file holds no command
# or option name, so it cannot drift from them.  No candidate means "complete
# file names".

function __sockit_complete
	set -l tokens (commandline -opc)
	set -l prog $tokens[1]
	command -q -- $prog; or set prog sockit
	$prog __complete --describe $tokens[2..-1] (commandline -ct) 2>/dev/null
end

function __sockit_no_candidates
	test -z "$(__sockit_complete)"
end

complete -c sockit -f -n 'not __sockit_no_candidates' -a '(__sockit_complete)'
complete -c sockit -F -n '__sockit_no_candidates'
