# bash completion for the tiss programs (tiss-init ... tiss-bureau).
# Installed as .../bash-completion/completions/tiss, with a link per
# program name so that bash-completion loads it on first use.
#
# The options come from each C program's own declaration, which it
# prints with --bash-completion (read once per shell; an option taking an
# argument ends with "="), so they cannot drift from the program; and
# from its --help, which also names the options of its commands (and is
# all the shell scripts have).  The commands of the programs that have
# them, and what each option takes, are listed here.

# The program's options, one a line, "=" after those declared taking an
# argument.
_tiss_decl()
{
	local var=_tiss_decl_${1//-/_}
	if [[ -z ${!var-} ]]; then
		local out
		out=$(LC_ALL=C "$1" --bash-completion 2>/dev/null) ||
			out=$'-C=\n--workspace=\n-h\n--help\n-V\n--version\n-q\n-v'
		out+=$'\n'$(LC_ALL=C "$1" --help 2>&1 |
			grep -oE '(^|[[ |])(--[a-zA-Z][a-zA-Z0-9-]*|-[a-zA-Z])' |
			sed 's/^[[ |]*//' | sort -u)
		printf -v "$var" '%s' "$out"
	fi
	printf '%s\n' "${!var}"
}

# The --options and -x flags of a program.
_tiss_opts()
{
	_tiss_decl "$1" | sed 's/=$//' | sort -u | tr '\n' ' '
}

# Whether option $2 of program $1 takes an argument.
_tiss_takes_arg()
{
	_tiss_decl "$1" | grep -qx -- "$2="
}

# The commands of a program, empty for one without.
_tiss_cmds()
{
	case $1 in
	tiss-guia) echo "list export show set add-proc rm-proc rm new" ;;
	tiss-lote) echo "build list show new add rm delete close aprovar reter liberar" ;;
	tiss-report) echo "acompanhamento pendencias conciliacao protocolo" ;;
	tiss-secret) echo "set list" ;;
	tiss-tuss) echo "load" ;;
	tiss-config) echo "get worst umask counts version datadir json backup" ;;
	tiss-bureau) echo "plan run" ;;
	tiss-schemas) echo "install list" ;;
	tiss-recurso) echo "export import send status list" ;;
	tiss-portal) echo "list protocolo recibo" ;;
	esac
}

_tiss()
{
	local cur prev prog=$1 words cword i cmd=""
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi
	prog=${prog##*/}

	# What the previous option takes.
	case $prev in
	-C | --workspace | --intermediate | --inbox-dir)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W "html csv txt xml table" -- "$cur"))
		return ;;
	--encoding)
		COMPREPLY=($(compgen -W "utf-8 windows-1252 cp1252 latin1" -- "$cur"))
		return ;;
	--status)
		COMPREPLY=($(compgen -W "incompleto completo em_lote enviada aberto fechado xml_gerado enviando enviado rejeitado" -- "$cur"))
		return ;;
	--tipo)
		COMPREPLY=($(compgen -W "odonto" -- "$cur"))
		return ;;
	-o | --output | --report | --from-file | --csv | --plan)
		# A file, or '-': standard input or output (tiss(7)).
		COMPREPLY=($(compgen -f -- "$cur") $(compgen -W - -- "$cur"))
		return ;;
	--joblog)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-p | --prestador | --de | --ate | --exec-de | --exec-ate | --competencia | \
	--lote | --guia | --carteira | --numero | --min-age | -j | --jobs | \
	--shards | --shard | --poll | --only | --proc)
		return ;;
	-*)
		_tiss_takes_arg "$prog" "$prev" && return ;;
	esac

	# The command, when the program has commands and one was given.
	local cmds
	cmds=$(_tiss_cmds "$prog")
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-C | --workspace | -p | --prestador) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_tiss_opts "$prog")" -- "$cur"))
	elif [[ -n $cmds && -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
	else
		case $prog:$cmd in
		tiss-import:* | tiss-tuss:load | tiss-config:backup)
			COMPREPLY=($(compgen -f -- "$cur") $(compgen -W - -- "$cur")) ;;
		tiss-init:* | tiss-bureau:*)
			COMPREPLY=($(compgen -d -- "$cur")) ;;
		tiss-config:get)
			COMPREPLY=($(compgen -W "operadora eautorizador import workspace alerta retencao" -- "$cur")) ;;
		esac
	fi
}

complete -F _tiss tiss-init tiss-import tiss-validate tiss-tuss tiss-guia \
	tiss-lote tiss-xml tiss-send tiss-status tiss-secret tiss-report \
	tiss-fetch tiss-config tiss-run tiss-watch tiss-bureau tiss-schemas \
	tiss-demonstrativo tiss-recurso tiss-cancela tiss-portal
