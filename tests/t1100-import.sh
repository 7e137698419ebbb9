#!/bin/sh
# tiss-import on good input: what Brazilian spreadsheets and clinic
# systems really write, and what ends up in the database.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
expect_code 0 "samples import" tiss-import -C ws "$SAMPLES/guias-manuais.csv" \
	"$SAMPLES/guias-clinica-cp1252.csv"
same 5 "$(sql ws 'SELECT count(*) FROM guia')" "5 guides"
same 8 "$(sql ws 'SELECT count(*) FROM procedimento')" "8 procedures"
same "incompleto" "$(sql ws 'SELECT DISTINCT status FROM guia')" \
	"imported guides wait for validation"
same "125000" "$(sql ws "SELECT valorProc FROM procedimento WHERE codigoProcedimento='85100099'")" \
	"money 1.250,00 stored as integer centavos"
same "integer" "$(sql ws "SELECT DISTINCT typeof(valorProc) FROM procedimento")" \
	"money is never floating point"
same "112000" "$(sql ws "SELECT valorProc FROM procedimento WHERE codigoProcedimento='81000405'")" \
	"quoted 1,120.00 with decimal point"
same "2026-03-10" "$(sql ws "SELECT dataRealizacao FROM procedimento WHERE codigoProcedimento='85100099'")" \
	"dd/mm/aaaa stored as aaaa-mm-dd"
same "João Guimarães" "$(sql ws "SELECT nomeBeneficiario FROM guia WHERE numeroGuiaPrestador='CLI-778'")" \
	"Windows-1252 detected and stored as UTF-8"
same 'Cátia "Cacau" Rocha' "$(sql ws "SELECT nomeBeneficiario FROM guia WHERE numeroGuiaPrestador='CLI-779'")" \
	"doubled quotes inside a quoted field"
same "Urgência; paciente com dor
retorno em 7 dias" "$(sql ws "SELECT observacao FROM guia WHERE numeroGuiaPrestador='GTO-2026-0002'")" \
	"separator and line break inside a quoted field"
same "7" "$(sql ws "SELECT origemLinha FROM guia WHERE numeroGuiaPrestador='GTO-2026-0003'")" \
	"line numbers count the line break inside a field"
same "3" "$(sql ws "SELECT count(*) FROM procedimento p JOIN guia g ON g.id=p.guia_id WHERE numeroGuiaPrestador='GTO-2026-0001'")" \
	"rows of one guide form one guide"
same "S|1" "$(sql ws "SELECT atendimentoRN='N', autorizado FROM guia g JOIN procedimento p ON p.guia_id=g.id WHERE numeroGuiaPrestador='CLI-778' LIMIT 1" | sed 's/^1/S/')" \
	"yes/no values normalised"
same "csv|1" "$(sql ws "SELECT origem, origemArquivo LIKE '%/samples/guias-manuais.csv' FROM guia WHERE numeroGuiaPrestador='GTO-2026-0001'")" \
	"the origin file is recorded"

same "35|33" "$(sql ws "SELECT (SELECT ufExec FROM guia WHERE numeroGuiaPrestador='GTO-2026-0001'), (SELECT ufExec FROM guia WHERE numeroGuiaPrestador='CLI-778')")" \
	"a two-letter UF is stored as its IBGE code"

# Missing billing data is kept missing, never defaulted.
same "||" "$(sql ws "SELECT nomeProfExec, croExec, cbosExec2 FROM guia WHERE numeroGuiaPrestador='GTO-2026-0003'")" \
	"an incomplete guide is imported with its gaps"

# The same bytes again: skipped with a notice, nothing doubled.
expect_code 0 "the same file again is skipped" tiss-import -C ws "$SAMPLES/guias-manuais.csv"
has err "skipped: the same bytes were imported" "skip notice"
same 5 "$(sql ws 'SELECT count(*) FROM guia')" "no duplicate guides"
same 2 "$(sql ws "SELECT count(*) FROM importacao WHERE situacao='importado'")" \
	"one import record per file"

# Header: any case, accents, any order; BOM; CRLF; comma separator.
printf '\357\273\277N\303\272meroGuiaPrestador,VALORPROC,C\303\263digoPrestadorNaOperadora,dataRealiza\303\247\303\243o\r\nB-1,"1.234,56",777,2026-03-01\r\nB-1,10,777,01/03/2026\r\n' >bom.csv
expect_code 0 "BOM, CRLF, header in any case, accents and order" tiss-import -C ws bom.csv
same "2|124456" "$(sql ws "SELECT count(*), sum(valorProc) FROM procedimento p JOIN guia g ON g.id=p.guia_id WHERE codigoPrestadorNaOperadora='777'")" \
	"BOM file values"

# ISO-8859-1 named explicitly.
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;nomeBeneficiario\n9;L-1;Jo\343o\n' >latin1.csv
expect_code 0 "--encoding iso-8859-1" tiss-import -C ws --encoding iso-8859-1 latin1.csv
same "João" "$(sql ws "SELECT nomeBeneficiario FROM guia WHERE numeroGuiaPrestador='L-1'")" \
	"ISO-8859-1 stored as UTF-8"

# Rows of one guide apart from each other still make one guide, and a
# value given only on a later row completes it.
csv split.csv <<'ROWS'
5;S-1;;;;;;;;;;;1;22;81000065;;;1;80,00;S;03/03/2026
5;S-2;0001;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026
5;S-1;0002;N;Plano;1;1;SP;1234567;223208;1;4;2;22;81000421;11;;1;35,00;S;03/03/2026
ROWS
expect_code 0 "rows of a guide split across the file" tiss-import -C ws split.csv
same "2|0002" "$(sql ws "SELECT count(*), numeroCarteira FROM procedimento p JOIN guia g ON g.id=p.guia_id WHERE numeroGuiaPrestador='S-1'")" \
	"merged into one guide, later value taken"
# The import validates a guide as it stores it; one whose rows are apart
# is validated again on the whole of it, not left as its first rows were.
same "0|11500|1" "$(sql ws "SELECT (SELECT count(*) FROM pendencia p WHERE p.guia_id=g.id AND campo='numeroCarteira'), valorTotalProc, validadoEm IS NOT NULL FROM guia g WHERE numeroGuiaPrestador='S-1'")" \
	"the split guide is validated on all its rows"
same 0 "$(sql ws "SELECT count(*) FROM guia WHERE validadoEm IS NULL OR validadoEm < alteradoEm")" \
	"after an import no guide is left unvalidated"

printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;ufExec\n9;UF-1;XX\n' >uf.csv
expect_code 0 "an unknown UF is imported as given" tiss-import -C ws uf.csv
same "XX" "$(sql ws "SELECT ufExec FROM guia WHERE numeroGuiaPrestador='UF-1'")" \
	"... for tiss-validate to report"

# Unknown columns.
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;corFavorita\n1;U-1;azul\n' >unknown.csv
expect_code 65 "an unknown column is an error" tiss-import -C ws unknown.csv
has err "unknown.csv:1:3: corFavorita: unknown column" "the message names the column"
expect_code 0 "--ignore-unknown accepts it" tiss-import -C ws --ignore-unknown unknown.csv
same 1 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador='U-1'")" \
	"the guide is imported without the unknown column"

# A file with only the header is accepted and imports nothing.
echo "$HEADER" >header-only.csv
expect_code 0 "header only" tiss-import -C ws header-only.csv

# The generator's output round-trips.
"$TISS_BUILD/tools/gen-csv" 1000 7 >gen.csv
tiss-init ws2 >/dev/null
expect_code 0 "generated file imports" tiss-import -C ws2 gen.csv
same 1000 "$(sql ws2 'SELECT count(*) FROM procedimento')" "every row stored"
same 7 "$(sql ws2 'SELECT count(DISTINCT codigoPrestadorNaOperadora) FROM guia')" \
	"every prestador stored"
# The import writes with foreign keys off (its references are made by
# construction): none is left dangling (test-db: they are on again after).
same "" "$(sql ws 'PRAGMA foreign_key_check')" "no dangling reference"
done_testing
