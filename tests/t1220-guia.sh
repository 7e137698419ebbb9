#!/bin/sh
# tiss-guia: list with filters and formats, show, set, add-proc,
# rm-proc, rm and new, their refusals and the audit trail.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' ws/tiss.conf
tiss-import -q -C ws "$SAMPLES/guias-manuais.csv" "$SAMPLES/guias-clinica-cp1252.csv"
tiss-validate -q -C ws

expect_code 0 "list" tiss-guia -C ws list
same 6 "$(wc -l <out | tr -d ' ')" "a header and five guides"
same 0 "$(awk 'length($0) > 80' out | wc -l | tr -d ' ')" "the table fits 80 columns"
has out "10001234   GTO-2026-0003    12/03/2026 incompleto    1     R$ 210,00    2" \
	"a row: prestador, guide, request date, status, procedures, value, pendências"

expect_code 0 "list by request date (the manual's search date)" \
	tiss-guia -C ws list --de 03/03/2026 --ate 2026-03-31
same "GTO-2026-0002 GTO-2026-0003" "$(awk 'NR > 1 { printf "%s%s", sep, $2; sep = " " }' out)" \
	"only guides requested in the range"
expect_code 0 "list by execution date" tiss-guia -C ws list --exec-de 09/03/2026 --exec-ate 10/03/2026
same "GTO-2026-0001 CLI-778" "$(awk 'NR > 1 { printf "%s%s", sep, $2; sep = " " }' out | tr ' ' '\n' | sort -r | tr '\n' ' ' | sed 's/ $//')" \
	"only guides with a procedure done in the range"
expect_code 0 "list by status" tiss-guia -C ws list --status incompleto
same 2 "$(wc -l <out | tr -d ' ')" "one incomplete guide"
expect_code 0 "list by prestador" tiss-guia -C ws -p 20005678 list
same 3 "$(wc -l <out | tr -d ' ')" "two guides of that prestador"
expect_code 0 "list by card" tiss-guia -C ws list --carteira 0098765400021
has out "GTO-2026-0002" "the guide of that card"
expect_code 0 "list by number" tiss-guia -C ws list --guia CLI-779
same 2 "$(wc -l <out | tr -d ' ')" "one guide"
expect_code 0 "list as CSV" tiss-guia -C ws list --format csv
has out '"10001234";"GTO-2026-0001";"2026-03-02";"0012345600017";"completo";"3";"1425.50";"0";"csv"' \
	"a CSV row"
expect_code 0 "list as XML" tiss-guia -C ws list --format xml
check "the XML is well formed" xmllint --noout out
has out "<valorTotalProc>1425.50</valorTotalProc>" "an XML value"
expect_code 64 "an unknown format" tiss-guia -C ws list --format pdf
expect_code 64 "a bad date" tiss-guia -C ws list --de 31/02/2026

expect_code 0 "show" tiss-guia -C ws show GTO-2026-0003
for s in "guide GTO-2026-0003: incompleto" "numeroCarteira               0055511100034" \
	"procedimentosExecutados[1]" "pendências" "erro V102 croExec" "history" \
	"validated " "valorTotalProc (sum)         R\$ 210,00" "no change"; do
	has out "$s" "show has '$s'"
done
# The surrounding text follows the language, the TISS names do not.
check "show in English: no Portuguese heading (LANG=C)" \
	sh -c '! grep -E "^guia |histórico|criada|validada|nenhuma|soma" out'
expect_code 0 "show, pt_BR" env LANG=pt_BR.UTF-8 tiss-guia -C ws show GTO-2026-0003
for s in "guia GTO-2026-0003: incompleto" "origem csv " ", criada " "numeroCarteira               0055511100034" \
	"procedimentosExecutados[1]" "pendências" "histórico" "nenhuma alteração" \
	"valorTotalProc (soma)        R\$ 210,00" "valorTotalProc (informado)"; do
	has out "$s" "show in Portuguese has '$s'"
done
expect_code 66 "show of no guide" tiss-guia -C ws show NOPE

expect_code 0 "set completes a guide" tiss-guia -C ws set GTO-2026-0003 croExec=12345 cbosExec2=223208
has out "GTO-2026-0003: completo" "revalidated at once"
same "croExec||12345|tiss-guia set (" "$(sql ws "SELECT campo, antes, depois, substr(fonte, 1, 15) FROM auditoria WHERE campo = 'croExec'")" \
	"the change is audited with old and new value"
expect_code 65 "set to a bad value is refused" tiss-guia -C ws set GTO-2026-0003 dataSolicitacao=32/01/2026
has err "dataSolicitacao: '32/01/2026': no such day" "... with the reason"
expect_code 65 "set of an unknown field" tiss-guia -C ws set GTO-2026-0003 cor=azul
expect_code 65 "a procedure field without --proc" tiss-guia -C ws set GTO-2026-0003 codDente=11
has err "set it with --proc SEQ" "... says how"
expect_code 65 "set that breaks a rule" tiss-guia -C ws set GTO-2026-0003 --proc 1 denteFace=XZ
has out "erro V208 procedimentosExecutados[1].denteFace" "the new pendência is shown"
expect_code 0 "show the pendência with its value" tiss-guia -C ws show GTO-2026-0003
has out "procedimentosExecutados[1].denteFace: " "the pendência"
has out " (value: XZ)" "with its value, in English"
has out "croExec: '' -> '12345'" "the history has the change"
check "the history's time as dd/mm/aaaa hh:mm" grep -qE "^  [0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2} tiss-guia set" out
expect_code 0 "show, pt_BR" env LANG=pt_BR.UTF-8 tiss-guia -C ws show GTO-2026-0003
has out " (valor: XZ)" "the value in Portuguese"
same incompleto "$(sql ws "SELECT status FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0003'")" \
	"and the guide is incompleto again"
expect_code 0 "emptying a field with campo=" tiss-guia -C ws set GTO-2026-0003 --proc 1 denteFace=
expect_code 66 "--proc of no procedure" tiss-guia -C ws set GTO-2026-0003 --proc 9 qtdProc=1

expect_code 0 "add-proc" tiss-guia -C ws add-proc GTO-2026-0003 sequencialItem=2 \
	codigoTabela=22 codigoProcedimento=81000421 descricaoProcedimento=Radiografia \
	codDente=48 qtdProc=1 valorProc=35,00 autorizado=S dataRealizacao=13/03/2026
same "2|24500" "$(sql ws "SELECT count(*), (SELECT valorTotalProc FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0003') FROM procedimento p JOIN guia g ON g.id = p.guia_id WHERE numeroGuiaPrestador = 'GTO-2026-0003'")" \
	"two procedures, total recomputed"
expect_code 0 "rm-proc" tiss-guia -C ws rm-proc GTO-2026-0003 2
same 1 "$(sql ws "SELECT count(*) FROM procedimento p JOIN guia g ON g.id = p.guia_id WHERE numeroGuiaPrestador = 'GTO-2026-0003'")" \
	"the procedure is gone"
has "$(sql ws "SELECT antes FROM auditoria WHERE depois IS NULL AND campo = 'procedimentosExecutados'" >rm.audit; echo rm.audit)" \
	"sequencialItem=2 codigoProcedimento=81000421" "rm-proc is audited"

# Guides in a lote may not change.
sql ws "UPDATE guia SET status = 'em_lote' WHERE numeroGuiaPrestador = 'GTO-2026-0002'"
expect_code 65 "set of a guide in a lote is refused" tiss-guia -C ws set GTO-2026-0002 croExec=1
has err "it is em_lote, and only guides 'incompleto' or 'completo' may change" "... with the reason"
expect_code 65 "rm of a guide in a lote is refused" tiss-guia -C ws rm GTO-2026-0002
expect_code 65 "add-proc to a guide in a lote is refused" tiss-guia -C ws add-proc GTO-2026-0002 qtdProc=1
expect_code 0 "rm of an incomplete or complete guide" tiss-guia -C ws rm CLI-779
has out "CLI-779: deleted" "says so"
same 0 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador = 'CLI-779'")" "the guide is gone"
same 0 "$(sql ws "SELECT count(*) FROM procedimento p LEFT JOIN guia g ON g.id = p.guia_id WHERE g.id IS NULL")" \
	"its procedures went with it"
has "$(sql ws "SELECT antes FROM auditoria WHERE campo = '*'" >rm2.audit; echo rm2.audit)" "guia CLI-779 (completo)" \
	"the deletion is audited"

# new
expect_code 65 "new from campo=valor, still incomplete" tiss-guia -C ws new \
	codigoPrestadorNaOperadora=10001234 numeroGuiaPrestador=MAN-1 numeroCarteira=77
same "manual|incompleto" "$(sql ws "SELECT origem, status FROM guia WHERE numeroGuiaPrestador = 'MAN-1'")" \
	"a manual guide, incomplete, nothing filled in"
expect_code 65 "new of a guide that exists is refused" tiss-guia -C ws new \
	codigoPrestadorNaOperadora=10001234 numeroGuiaPrestador=MAN-1
has err "already exists" "... saying so"
expect_code 65 "new without its key" tiss-guia -C ws new numeroCarteira=1
cat >one.csv <<'CSV'
codigoPrestadorNaOperadora;numeroGuiaPrestador;numeroCarteira;atendimentoRN;planoBeneficiario;codigoProfExec;croExec;ufExec;cnesExec;cbosExec2;tipoAtendimento;tipoFaturamento;sequencialItem;codigoTabela;codigoProcedimento;descricaoProcedimento;codDente;qtdProc;valorProc;autorizado;dataRealizacao
10001234;MAN-2;0001;N;Plano;1;123;RJ;1234567;223208;1;4;1;22;81000065;Consulta odontológica inicial;;1;80,00;S;03/03/2026
10001234;MAN-2;;;;;;;;;;;2;22;81000421;Radiografia periapical;11;1;35,00;S;03/03/2026
CSV
expect_code 0 "new --csv from a one-guide file" tiss-guia -C ws new --csv one.csv
same "manual|completo|2|33" "$(sql ws "SELECT origem, status, (SELECT count(*) FROM procedimento WHERE guia_id = g.id), ufExec FROM guia g WHERE numeroGuiaPrestador = 'MAN-2'")" \
	"two procedures, complete, UF converted"
sed 's/MAN-2;;;;;;;;;;;2/MAN-2;9999;;;;;;;;;;2/' one.csv | sed 's/MAN-2/MAN-3/' >two-values.csv
expect_code 65 "two values of one guide field are refused" tiss-guia -C ws new --csv two-values.csv
has err "numeroCarteira: '9999' differs from '0001' on line 2" "... with the lines"
expect_code 64 "an unknown command" tiss-guia -C ws frobnicate
done_testing
