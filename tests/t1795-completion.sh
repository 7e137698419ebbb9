#!/bin/sh
# bash completion (scripts/completion/tiss.bash): every program's
# commands, every option its --help names and every option it declares
# (--bash-completion), what an option takes (a directory, a --format,
# an argument of a declared option), with and without the
# bash-completion package.
. "$TISS_SRC/tests/lib.sh"
PATH=$TISS_SRC/scripts:$PATH
export PATH

cat >comp.bash <<'BASH'
[ "${WITH_BC:-0}" = 1 ] && . /usr/share/bash-completion/bash_completion
. "$TISS_SRC/scripts/completion/tiss.bash"
# comp WORD...: the completions of the last word.
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_tiss "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort
}
BASH
# c WORD...: run comp in bash.
c() {
	bash -c '. ./comp.bash; comp "$@"' comp "$@"
}
progs="tiss-init tiss-import tiss-validate tiss-tuss tiss-guia tiss-lote tiss-xml
tiss-send tiss-status tiss-secret tiss-report tiss-fetch tiss-config tiss-run
tiss-watch tiss-bureau tiss-schemas tiss-demonstrativo tiss-recurso tiss-cancela
tiss-portal"

for bc in 0 1; do
	[ $bc -eq 1 ] && [ ! -f /usr/share/bash-completion/bash_completion ] && continue
	WITH_BC=$bc
	export WITH_BC
	label="(bash-completion $bc)"
	for p in $progs; do
		c "$p" -- >got
		missing=""
		for o in $("$p" --help 2>&1 | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
			grep -qx -- "$o" got || missing="$missing $o"
		done
		for o in --help --version; do
			grep -qx -- "$o" got || missing="$missing $o"
		done
		same "" "$missing" "$p: every option of its --help $label"
	done
	for p in tiss-send tiss-fetch tiss-report tiss-import; do
		c "$p" -- >got
		missing=""
		for o in $("$p" --bash-completion | grep -- '^--' | sed 's/=$//'); do
			grep -qx -- "$o" got || missing="$missing $o"
		done
		same "" "$missing" "$p: every option it declares $label"
	done
	same "" "$(c tiss-report --dias '')" \
	    "after a declared option taking an argument, no command $label"
	same "add
aprovar
build
close
delete
liberar
list
new
reter
rm
show" "$(c tiss-lote '')" "tiss-lote's commands $label"
	same "export" "$(c tiss-recurso ex)" "tiss-recurso's $label"
	same "recibo" "$(c tiss-portal re)" "tiss-portal's $label"
	same "--motivo" "$(c tiss-cancela --mo)" "tiss-cancela's options $label"
	same "--protocolo" "$(c tiss-demonstrativo --prot)" "tiss-demonstrativo's $label"
	same "list" "$(c tiss-guia -C . l)" "tiss-guia's, after -C dir $label"
	same "backup" "$(c tiss-config ba)" "tiss-config's $label"
	same "plan
run" "$(c tiss-bureau '')" "tiss-bureau's $label"
	same "acompanhamento" "$(c tiss-report -C ws ac)" "tiss-report's $label"
	same "conciliacao" "$(c tiss-report co)" "tiss-report conciliacao $label"
	same "html" "$(c tiss-report pendencias --format h)" "--format takes a format $label"
	mkdir -p dirs/alpha dirs/beta
	: >dirs/afile
	same "dirs/alpha" "$(c tiss-run -C dirs/a)" "-C takes a directory $label"
	has_resume=$(c tiss-bureau run --re)
	same "--resume" "$has_resume" "tiss-bureau run --resume $label"
	same "--alert" "$(c tiss-run --al)" "tiss-run --alert $label"
	same "--inbox" "$(c tiss-import --inb)" "tiss-import --inbox $label"
done
check "every program has its completion" bash -c ". '$TISS_SRC/scripts/completion/tiss.bash'; for p in $(echo $progs); do complete -p \$p >/dev/null || exit 1; done"
done_testing
