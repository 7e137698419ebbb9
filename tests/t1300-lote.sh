#!/bin/sh
# tiss-lote: building lotes (size, order, numbering, competência),
# list/show, and the manual edits with their refusals.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/; s/^#tamanho_lote =.*/tamanho_lote = 5/' ws/tiss.conf
# 30 procedures of one prestador: 13 complete guides, G000000000 ... G000000012.
"$TISS_BUILD/tools/gen-csv" 30 1 >g.csv
tiss-import -q -C ws g.csv
tiss-validate -q -C ws
same 13 "$(sql ws "SELECT count(*) FROM guia WHERE status = 'completo'")" "13 complete guides"

expect_code 0 "build" tiss-lote -C ws build
same "10000000 1 5
10000000 2 5
10000000 3 3" "$(cat out)" "lotes filled fully, in order, numbered 1, 2, 3"
same "G000000000 G000000004" "$(sql ws "SELECT min(numeroGuiaPrestador) || ' ' || max(numeroGuiaPrestador) FROM guia g JOIN lote l ON l.id = g.lote_id WHERE l.numeroLote = 1")" \
	"the first lote has the first five guides by number"
same "em_lote" "$(sql ws "SELECT DISTINCT status FROM guia")" "every guide is em_lote"
same "fechado" "$(sql ws "SELECT DISTINCT status FROM lote")" "built lotes are closed"
expect_code 0 "build again with nothing to do" tiss-lote -C ws build
same "" "$(cat out)" "no new lote"

# Numbers are never reused.
expect_code 0 "delete a lote" tiss-lote -C ws delete 3
same 3 "$(sql ws "SELECT count(*) FROM guia WHERE status = 'completo'")" "its guides are completo again"
expect_code 0 "build after the delete" tiss-lote -C ws build
same "10000000 4 3" "$(cat out)" "the new lote is number 4, not 3"

# One competência per lote.
tiss-guia -C ws new codigoPrestadorNaOperadora=10000000 numeroGuiaPrestador=ABR-1 numeroCarteira=1 \
	atendimentoRN=N planoBeneficiario=P codigoProfExec=1 croExec=1 ufExec=SP cnesExec=1234567 \
	cbosExec2=223208 tipoAtendimento=1 tipoFaturamento=4 sequencialItem=1 codigoTabela=22 \
	codigoProcedimento=81000065 descricaoProcedimento=Consulta qtdProc=1 valorProc=10 \
	autorizado=S dataRealizacao=02/04/2026 >/dev/null
expect_code 0 "build --competencia of another month" tiss-lote -C ws build --competencia 2026-03
same "" "$(cat out)" "no guide of 2026-03 left"
expect_code 0 "build puts April apart" tiss-lote -C ws build
same "2026-04" "$(sql ws "SELECT competencia FROM lote WHERE numeroLote = 5")" "competência from dataRealizacao"

# list and show
expect_code 0 "list" tiss-lote -C ws list
same 4 "$(($(wc -l <out) - 1))" "four lotes: 1, 2, 4, 5"
same 0 "$(awk 'length($0) > 80' out | wc -l | tr -d ' ')" "the table fits 80 columns"
today=$(date -u +%Y-%m-%d)
expect_code 0 "list within 3 months" tiss-lote -C ws list --de 2026-01-01 --ate 2026-03-31 --status fechado
expect_code 64 "a search longer than 3 months is refused" tiss-lote -C ws list --de 2026-01-01 --ate 2026-04-02
has err "longer than 3 months" "... saying so"
expect_code 0 "list by number as CSV" tiss-lote -C ws list --numero 2 --format csv
has out '"10000000";"2";"2026-03";"odonto";"fechado";"5"' "CSV row"
expect_code 0 "list as XML" tiss-lote -C ws list --de "$today" --ate "$today" --format xml
check "the XML is well formed" xmllint --noout out
same 4 "$(grep -c '<lote>' out)" "every lote created today"
expect_code 64 "another guide type is refused" tiss-lote -C ws list --tipo consulta
expect_code 0 "show" tiss-lote -C ws show 1
has out "G000000000" "show lists the guides"
expect_code 66 "show of no lote" tiss-lote -C ws show 99

# new, add, rm, close and their refusals
tiss-lote -q -C ws delete 1
tiss-lote -q -C ws delete 2
expect_code 0 "new from chosen guides" tiss-lote -C ws new --competencia 2026-03 --guia G000000000 --guia G000000001
same "aberto|2" "$(sql ws "SELECT status, (SELECT count(*) FROM guia WHERE lote_id = lote.id) FROM lote WHERE numeroLote = 6")" \
	"an open lote with two guides"
tiss-guia -C ws new codigoPrestadorNaOperadora=10000000 numeroGuiaPrestador=INC-1 >/dev/null
expect_code 65 "an incomplete guide is refused" tiss-lote -C ws add 6 INC-1
has err "guide INC-1 is incompleto" "... with the reason"
tiss-guia -C ws new codigoPrestadorNaOperadora=20000000 numeroGuiaPrestador=OUTRO-1 numeroCarteira=1 \
	atendimentoRN=N planoBeneficiario=P codigoProfExec=1 croExec=1 ufExec=SP cnesExec=1234567 \
	cbosExec2=223208 tipoAtendimento=1 tipoFaturamento=4 sequencialItem=1 codigoTabela=22 \
	codigoProcedimento=81000065 descricaoProcedimento=Consulta qtdProc=1 valorProc=10 \
	autorizado=S dataRealizacao=02/03/2026 >/dev/null
expect_code 65 "two prestadores are refused" tiss-lote -C ws add 6 OUTRO-1
has err "a lote never mixes prestadores" "... with the reason"
sql ws "UPDATE guia SET status = 'completo', lote_id = NULL WHERE numeroGuiaPrestador = 'ABR-1'"
expect_code 65 "two competências are refused" tiss-lote -C ws add 6 ABR-1
has err "a lote holds one month" "... with the reason"
expect_code 65 "more guides than tamanho_lote are refused" tiss-lote -C ws new --competencia 2026-03 \
	--guia G000000002 --guia G000000003 --guia G000000004 --guia G000000005 --guia G000000006 --guia G000000007
has err "6 guides, but a lote holds at most 5" "... with the reason"
expect_code 0 "add" tiss-lote -C ws add 6 G000000002
expect_code 0 "rm" tiss-lote -C ws rm 6 G000000000
same completo "$(sql ws "SELECT status FROM guia WHERE numeroGuiaPrestador = 'G000000000'")" "a removed guide is completo again"
expect_code 0 "close" tiss-lote -C ws close 6
same fechado "$(sql ws "SELECT status FROM lote WHERE numeroLote = 6")" "closed"
expect_code 65 "close of a closed lote" tiss-lote -C ws close 6

sql ws "UPDATE lote SET status = 'enviado' WHERE numeroLote = 6"
expect_code 65 "an edit of a sent lote is refused" tiss-lote -C ws add 6 G000000000
has err "a lote that went to the operator never changes" "... with the reason"
expect_code 65 "a sent lote is never deleted" tiss-lote -C ws delete 6
expect_code 65 "a sent lote's guides stay" tiss-lote -C ws rm 6 G000000001

# The common options and value formats (issue 12).
expect_code 0 "tiss-lote --help" tiss-lote --help
has out "usage: tiss-lote" "... prints the usage on stdout"
same "" "$(cat err)" "... and nothing on stderr"
expect_code 0 "tiss-lote -V" tiss-lote -V
has out "tiss-lote (tiss)" "... the version"
expect_code 64 "an unknown command" tiss-lote -C ws frobnicate
has err "usage: tiss-lote" "... prints the usage on stderr"
expect_code 0 "new --competencia MM/AAAA" tiss-lote -C ws new --competencia 03/2026 --guia G000000000
same "2026-03" "$(sql ws "SELECT competencia FROM lote ORDER BY id DESC LIMIT 1")" "... stored as AAAA-MM"
r0=$(sql ws "SELECT revisao FROM lote ORDER BY id DESC LIMIT 1")
n=$(sql ws "SELECT numeroLote FROM lote ORDER BY id DESC LIMIT 1")
tiss-lote -q -C ws close "$n"
r1=$(sql ws "SELECT revisao FROM lote ORDER BY id DESC LIMIT 1")
[ "$r1" -gt "$r0" ] && pass "close bumps the lote's revisao" || fail "close bumps the lote's revisao ($r0 -> $r1)"
tiss-lote -q -C ws rm "$n" G000000000
r2=$(sql ws "SELECT revisao FROM lote ORDER BY id DESC LIMIT 1")
[ "$r2" -gt "$r1" ] && pass "rm bumps it" || fail "rm bumps it ($r1 -> $r2)"

expect_code 0 "build --competencia MM/AAAA" tiss-lote -C ws build --competencia 03/2026
expect_code 0 "build --competencia AAAA-MM" tiss-lote -C ws build --competencia 2026-03
expect_code 64 "build --competencia in another form" tiss-lote -C ws build --competencia 2026/03
has err "MM/AAAA" "... says the forms it takes"
expect_code 64 "a lote number that is not one" tiss-lote -C ws show 1x
expect_code 64 "list --format of another kind" tiss-lote -C ws list --format pdf
has err "table, csv, xml" "... lists the formats"
expect_code 64 "list --numero that is not a number" tiss-lote -C ws list --numero x
# A guide's move between lotes (schema 9: one trigger, guia_lote_move):
# both lotes get a new revisao; the approval of one not yet on its way is
# voided, that of one sent is kept.  Raw SQL, as any program's UPDATE.
sql ws "INSERT INTO lote (codigoPrestadorNaOperadora, numeroLote, competencia,
criadoEm, alteradoEm, status, aprovadoEm, aprovadoPor) VALUES
('10001234', 9001, '2026-03', 'x', 'x', 'fechado', 'a', 'ana'),
('10001234', 9002, '2026-03', 'x', 'x', 'enviado', 'b', 'bia')"
g=$(sql ws "SELECT min(id) FROM guia")
before=$(sql ws "SELECT group_concat(revisao, ' ') FROM lote WHERE numeroLote > 9000")
sql ws "UPDATE guia SET lote_id = (SELECT id FROM lote WHERE numeroLote = 9001) WHERE id = $g"
sql ws "UPDATE guia SET lote_id = (SELECT id FROM lote WHERE numeroLote = 9002) WHERE id = $g"
same "2|1" "$(sql ws "SELECT group_concat(revisao, '|') FROM (SELECT revisao FROM lote WHERE numeroLote > 9000 ORDER BY numeroLote)")" \
	"a move bumps the revisao of the lote left and of the lote joined (from $before)"
same "-|-|b|bia" "$(sql ws "SELECT group_concat(coalesce(aprovadoEm, '-') || '|' || coalesce(aprovadoPor, '-'), '|') FROM (SELECT * FROM lote WHERE numeroLote > 9000 ORDER BY numeroLote)")" \
	"it voids the approval of a fechado lote, not that of a sent one"
sql ws "UPDATE guia SET lote_id = NULL WHERE id = $g; DELETE FROM lote WHERE numeroLote > 9000"
# No program inserts a guide already in a lote (schema 9 dropped the
# trigger that bumped its lote's revisao): the one INSERT of a guide is
# common/guide.c's, its columns GTO fields, and no field is lote_id.
same "stages/common/guide.c" "$(cd "$TISS_SRC" && grep -rl 'INTO guia[ (]' stages)" \
	"one INSERT of a guide in the programs"
same "" "$(cd "$TISS_SRC" && grep -n 'lote_id' stages/common/gto.c stages/common/guide.c)" \
	"it cannot name a lote"
# TISS allows 100 guides a lote, never more.
sed -i 's/^tamanho_lote = 5/tamanho_lote = 101/' ws/tiss.conf
expect_code 78 "tamanho_lote above 100 is a configuration error" tiss-lote -C ws build
done_testing
