#!/bin/sh
# The entry rules of tiss-guia (issue 13 #1, #9, #10) and its common
# options: identifiers trimmed and checked where they are typed, the
# prestador a safe folder name, #K only a real position, --help.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' ws/tiss.conf
tiss-import -q -C ws "$SAMPLES/guias-manuais.csv"
tiss-validate -q -C ws
procs() { sql ws "SELECT count(*) FROM procedimento p JOIN guia g ON g.id = p.guia_id WHERE numeroGuiaPrestador = '$1'"; }

# --help and the command line (issue 12).
expect_code 0 "tiss-guia --help" tiss-guia --help
has out "usage: tiss-guia" "prints the usage on stdout"
expect_code 0 "tiss-guia list --help" tiss-guia -C ws list --help
has out "[--de d] [--ate d]" "prints the usage with list's options (the filters)"
expect_code 0 "tiss-guia -V" tiss-guia -V
has out "tiss-guia (tiss)" "says the version"
expect_code 64 "no command" tiss-guia -C ws
expect_code 64 "an unknown option of list" tiss-guia -C ws list --cor azul
expect_code 64 "rm-proc without SEQ" tiss-guia -C ws rm-proc GTO-2026-0001
expect_code 0 "common options after the command of list" tiss-guia list -C ws --format csv
has out '"GTO-2026-0001"' "are taken"

# #9: '#K' names a procedure by position and nothing else.
n=$(procs GTO-2026-0001)
for k in '#0' '#-1' '#x' '#99' '#' '#1x' '#01'; do
	expect_code 65 "rm-proc '$k' is refused" tiss-guia -C ws rm-proc GTO-2026-0001 "$k"
	has err "names no procedure of guide 'GTO-2026-0001': write #1 to #$n" "... saying which positions exist ('$k')"
	same "$n" "$(procs GTO-2026-0001)" "... and no procedure is removed ('$k')"
done
expect_code 65 "set --proc '#0' is refused" tiss-guia -C ws set GTO-2026-0001 --proc '#0' qtdProc=2
same 0 "$(sql ws "SELECT count(*) FROM auditoria WHERE fonte LIKE 'tiss-guia%'")" "nothing was changed or audited"
expect_code 0 "set --proc '#2' acts on the second" tiss-guia -C ws set GTO-2026-0001 --proc '#2' qtdProc=1
has "$(sql ws "SELECT campo FROM auditoria WHERE fonte LIKE 'tiss-guia set%'" >a.txt; echo a.txt)" \
	"procedimentosExecutados[#2].qtdProc" "and names it so in the audit"
expect_code 0 "rm-proc '#$n' removes the last" tiss-guia -C ws rm-proc GTO-2026-0001 "#$n"
same "$((n - 1))" "$(procs GTO-2026-0001)" "one procedure fewer"

# #1: the prestador is a safe folder name, wherever it is typed.
for p in '../../../x' 'a/b' '..' '.' '.hidden' 'x.' 'x y' 'çao' '123456789012345' \
	"$(printf 'a\nb')"; do
	expect_code 65 "new with prestador '$p' is refused" tiss-guia -C ws new \
		"codigoPrestadorNaOperadora=$p" numeroGuiaPrestador=P-1 numeroCarteira=1
	has err "codigoPrestadorNaOperadora: '" "... naming the field"
done
# (a new guide with only these fields is stored, incomplete: exit 65)
expect_code 65 "new with a safe prestador of letters, digits, '.', '-', '_'" tiss-guia -C ws new \
	codigoPrestadorNaOperadora=ABC-1_2.3-x_z numeroGuiaPrestador=P-1 numeroCarteira=1
has out "P-1: incompleto" "is created"
same "ABC-1_2.3-x_z" "$(sql ws "SELECT group_concat(codigoPrestadorNaOperadora) FROM guia WHERE numeroGuiaPrestador = 'P-1'")" \
	"only the safe one was stored"
expect_code 65 "set of a prestador with a slash" tiss-guia -C ws set GTO-2026-0001 codigoPrestadorNaOperadora=../secrets
has err "letters and digits" "... says what a prestador code is"
same 10001234 "$(sql ws "SELECT codigoPrestadorNaOperadora FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0001'")" "unchanged"

# #10: one canonical form: trimmed, one line, printable.
nl='
'
expect_code 65 "a guide number with a newline" tiss-guia -C ws new codigoPrestadorNaOperadora=10001234 \
	"numeroGuiaPrestador=N-1${nl}X"
has err "numeroGuiaPrestador" "... names the field"
has err "line break" "... and says why"
expect_code 65 "a card number with a control character" tiss-guia -C ws set GTO-2026-0001 \
	"numeroCarteira=12$(printf '\001')34"
has err "control character" "... is refused"
expect_code 65 "a senha with a tab inside" tiss-guia -C ws set GTO-2026-0001 "senhaAutorizacao=A	B"
expect_code 65 "a code with a space inside" tiss-guia -C ws set GTO-2026-0001 "croExec=12 345"
has err "croExec" "... names the field"
tiss-guia -q -C ws set GTO-2026-0001 "numeroCarteira=  0012345600099   " >/dev/null
same "0012345600099" "$(sql ws "SELECT numeroCarteira FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0001'")" \
	"values are stored trimmed"
expect_code 65 "a guide number of only spaces is no number" tiss-guia -C ws set GTO-2026-0001 "numeroGuiaPrestador=   "
has err "a guide always has one" "... the guide keeps its number"
expect_code 65 "new with a guide number of only spaces" tiss-guia -C ws new codigoPrestadorNaOperadora=10001234 \
	"numeroGuiaPrestador=   " numeroCarteira=5
has err "needs codigoPrestadorNaOperadora and numeroGuiaPrestador" "... is a guide without a number"
expect_code 65 "renaming onto another guide's number" tiss-guia -C ws set GTO-2026-0001 numeroGuiaPrestador=GTO-2026-0002
has err "already exists" "... is refused"
expect_code 0 "a guide named with spaces around its number" tiss-guia -C ws show "  GTO-2026-0002 "
has out "guide GTO-2026-0002:" "is found"

# The CSV of one guide reports FILE:LINE:COLUMN.
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;numeroCarteira\n../x;C-1;1\n' >bad.csv
expect_code 65 "new --csv with a bad prestador" tiss-guia -C ws new --csv bad.csv
has err "bad.csv:2:1: codigoPrestadorNaOperadora" "FILE:LINE:COLUMN: campo"
same 0 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador = 'C-1'")" "nothing created"

# The CSV import refuses the same values where they are typed.
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;numeroCarteira\n10001234;I-1;1\n../../x;I-2;2\n' >imp.csv
expect_code 65 "tiss-import of a prestador with a path" tiss-import -C ws imp.csv
has err "imp.csv:3:1: codigoPrestadorNaOperadora" "is a FILE:LINE:COLUMN error"
same 0 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador LIKE 'I-%'")" "the file is refused whole"
done_testing
