#!/bin/sh
# tiss-import on bad input: one case per class of fault.  Each file is
# rejected whole (exit 65, nothing stored, the file untouched) and every
# problem is reported as FILE:LINE:COLUMN: campo: message.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null

# reject NAME FILE [OPTIONS]: the file is refused and nothing is stored.
reject() {
	_name=$1
	_file=$2
	shift 2
	cp "$_file" before.copy
	expect_code 65 "$_name: rejected" tiss-import -C ws "$@" "$_file"
	same 0 "$(sql ws 'SELECT count(*) FROM guia')" "$_name: nothing stored"
	check "$_name: file left whole" cmp -s before.copy "$_file"
}

OK='7;G1;0001;N;Plano;1;1;SP;1234567;223208;1;4'

csv date.csv <<ROWS
$OK;1;22;81000065;;;1;80,00;S;31/02/2026
ROWS
reject "impossible date" date.csv
has err "date.csv:2:21: dataRealizacao: '31/02/2026': no such day in the calendar" \
	"impossible date: file, line, column, field, value and why"

csv number.csv <<ROWS
$OK;1;22;81000065;;;1;oitenta;S;03/03/2026
$OK;2;22;81000065;;;um;80,00;S;03/03/2026
ROWS
reject "non-number" number.csv
has err "number.csv:2:19: valorProc: 'oitenta': not a number" "money field"
has err "number.csv:3:18: qtdProc: 'um': not a whole number" "count field"

csv decimals.csv <<ROWS
$OK;1;22;81000065;;;1;1.234;S;03/03/2026
ROWS
reject "ambiguous decimals" decimals.csv
has err "valorProc: '1.234': more than 2 decimal places" "three decimals refused"

csv columns.csv <<ROWS
$OK;1;22;81000065;;;1;80,00;S
$OK;1;22;81000065;;;1;80,00;S;03/03/2026;extra
ROWS
reject "wrong column count" columns.csv
has err "columns.csv:2: row: 20 fields but the header has 21" "too few fields"
has err "columns.csv:3: row: 22 fields but the header has 21" "too many fields"

csv yesno.csv <<ROWS
$OK;1;22;81000065;;;1;80,00;talvez;03/03/2026
ROWS
reject "bad yes/no" yesno.csv
has err "autorizado: 'talvez': not a yes/no value" "yes/no field"

# Invalid encoding: valid UTF-8 first, then a Latin-1 byte.
{ echo "$HEADER"; echo "$OK;1;22;81000065;;;1;80,00;S;03/03/2026" | sed 's/Plano/Pl\xc3\xa3no/'
  echo "$OK;2;22;81000065;;;1;80,00;S;03/03/2026" | sed 's/Plano/Pl\xe3no/'; } >mixed.csv
reject "invalid encoding" mixed.csv
has err "mixed.csv:3:5: planoBeneficiario: invalid UTF-8 byte sequence" \
	"a Latin-1 byte in a UTF-8 file"
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;nomeBeneficiario\n9;L-1;Jo\343o\n' >latin1.csv
reject "wrong --encoding" latin1.csv --encoding utf-8

printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;nomeBeneficiario\n9;N-1;Jo\000ao\n' >nul.csv
reject "NUL byte" nul.csv
has err "nul.csv:2:3: nomeBeneficiario: NUL byte" "NUL byte reported"

head -c 20000 "$TISS_BUILD/bin/tiss-init" >garbage.csv
reject "binary garbage" garbage.csv

awk 'BEGIN { printf "%s\n7;G1;", "codigoPrestadorNaOperadora;numeroGuiaPrestador;observacao"
	for (i = 0; i < 5000; i++) printf "x"; printf "\n" }' >longfield.csv
reject "field too long" longfield.csv
has err "longfield.csv:2:3: observacao: field is longer than 4096 bytes" \
	"long field reported"

awk 'BEGIN { printf "%s\n7;G1;\"", "codigoPrestadorNaOperadora;numeroGuiaPrestador;observacao"
	for (i = 0; i < 30000; i++) printf "0123456789012345678901234567890123456789\n" }' >runaway.csv
reject "runaway quoted field" runaway.csv
has err "runaway.csv:2: row: a field longer than 1048576 bytes starts here" \
	"a quote never closed, far beyond any sane size"

printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;observacao\n7;G1;"aberto\n' >unclosed.csv
reject "quote not closed at the end" unclosed.csv
has err "quoted field never closed" "unterminated quote reported"

printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;observacao\n7;G1;ab"c\n' >quote.csv
reject "malformed quoting" quote.csv
has err "quote.csv:2: row: malformed quoting" "stray quote reported"

csv key.csv <<ROWS
7;;0001;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026
ROWS
reject "empty guide number" key.csv
has err "key.csv:2:2: numeroGuiaPrestador: empty, but every row needs it" \
	"empty key reported"

printf 'numeroGuiaPrestador;nomeBeneficiario\nG1;Ana\n' >nokey.csv
reject "missing key column" nokey.csv
has err "nokey.csv:1: codigoPrestadorNaOperadora: required column missing" \
	"missing key column reported"

printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;valorProc;VALORPROC\n' >dup.csv
reject "duplicate column" dup.csv
has err "dup.csv:1:4: valorProc: column appears twice (also column 3)" \
	"duplicate column reported"

: >empty.csv
reject "empty file" empty.csv
has err "empty file" "empty file reported"

csv conflict.csv <<ROWS
$OK;1;22;81000065;;;1;80,00;S;03/03/2026
7;G1;0002;N;Plano;1;1;SP;1234567;223208;1;4;2;22;81000065;;;1;80,00;S;03/03/2026
ROWS
reject "one guide, two values" conflict.csv
has err "conflict.csv:3:3: numeroCarteira: '0002' differs from '0001' on line 2 of the same guide" \
	"conflicting guide values reported"

# Every problem is reported, not only the first; the good rows are not stored.
csv many.csv <<ROWS
$OK;1;22;81000065;;;1;80,00;S;03/03/2026
$OK;2;22;81000065;;;1;x;S;03/03/2026
$OK;3;22;81000065;;;1;80,00;S;30/02/2026
$OK;4;22;81000065;;;1;80,00;nao sei;03/03/2026
ROWS
reject "several problems" many.csv
same 3 "$(grep -c '^many.csv:' err)" "all three problems reported"
has err "rejected: 3 problems, nothing imported" "summary line"
same "rejeitado|3" "$(sql ws "SELECT situacao, erros FROM importacao WHERE arquivo='many.csv'")" \
	"the rejection is recorded"

# A line number after a quoted field spanning lines is the physical one.
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;observacao;valorProc\n7;G1;"a\nb\nc";1\n7;G2;x;zz\n' >lines.csv
reject "line numbers" lines.csv
has err "lines.csv:5:4: valorProc" "line counted across a multi-line field"

expect_code 66 "a missing file exits 66" tiss-import -C ws nosuch.csv
has err "cannot open 'nosuch.csv'" "missing file named"
expect_code 64 "no file is a usage error" tiss-import -C ws
expect_code 64 "unknown encoding is a usage error" tiss-import -C ws --encoding ebcdic date.csv
done_testing
