# bash completion for sockit(1).
#
# Every candidate comes from `sockit __complete WORDS... CUR`, which reads
# the command table and the option specs compiled into the binary: this file
# holds no command or option name, so it cannot drift from them.  No
# candidate means "complete file names" (complete -o default).

_sockit()
{
	local cur words cword
	if declare -F _get_comp_words_by_ref >/dev/null; then
		# bash-completion: keep --opt=value, A|B and LEVEL:NAME whole
		_get_comp_words_by_ref -n '=:|' cur words cword
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${COMP_WORDS[COMP_CWORD]}
	fi

	local prog=${words[0]}
	[[ $prog == \~* ]] && prog=$HOME${prog#\~}
	type -P -- "$prog" >/dev/null 2>&1 || prog=sockit

	local IFS=$'\n'
	local -a cands
	cands=($("$prog" __complete "${words[@]:1:cword-1}" "$cur" 2>/dev/null))

	# readline replaces only the text after the last COMP_WORDBREAKS
	# character of the word: strip what precedes it from the candidates.
	local i pre=
	for ((i = ${#cur} - 1; i >= 0; i--)); do
		if [[ $COMP_WORDBREAKS == *"${cur:i:1}"* ]]; then
			pre=${cur:0:i+1}
			break
		fi
	done
	COMPREPLY=()
	for i in "${cands[@]}"; do
		COMPREPLY+=("${i#"$pre"}")
	done
	if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
		compopt -o nospace 2>/dev/null
	fi
	return 0
}

complete -o bashdefault -o default -F _sockit sockit
