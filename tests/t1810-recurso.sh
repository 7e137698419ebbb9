#!/bin/sh
# tiss-recurso: the worksheet of glossed items, its import (an item not
# glossed refused, an item appealed once per glosa), the recurso lote
# checked against the official schema, sent exactly once (kill -9 in the
# middle, then a rerun: the operator received it once and the DB has its
# protocolo), the operator's rejection, the status and the values granted
# per item.
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "workspace with two lotes ready" ready_workspace ws
after_endpoints ws
expect_code 0 "send" tiss-send -q -C ws
printf 'GTO-2026-0001 1 3007 5000\nGTO-2026-0001 2 1705 25000\n' >op/demo-glosas
expect_code 0 "a demonstrativo partly glossed" tiss-demonstrativo -q -C ws -p 10001234 --competencia 03/2026

expect_code 0 "export the glossed items" tiss-recurso -C ws export -p 10001234 -o w.csv
same "3" "$(wc -l <w.csv | tr -d ' ')" "a header and two items"
has w.csv "10001234;1;000000000001;GTO-2026-0001;2;85100099;1705;valor apresentado a maior;250,00;250,00;" "an item with its glosa and amount"
expect_code 0 "export by glosa code" tiss-recurso -C ws export --glosa 3007
same "2" "$(wc -l <out | tr -d ' ')" "one item"

# fill COLUMN VALUE: set the justificativa of every data row.
fill() { awk -F';' -v OFS=';' -v j="$2" 'NR > 1 { $11 = j } { print }' "$1"; }
expect_code 0 "no justificativa: nothing to appeal" tiss-recurso -C ws import w.csv
same "0" "$(sql ws "SELECT count(*) FROM recurso")" "no recurso"

head -1 w.csv >empty.csv
expect_code 0 "a worksheet with the header only: nothing to appeal" tiss-recurso -C ws import empty.csv
has err "no row has a justificativa" "says so"
fill w.csv "Procedimento realizado conforme prontuário" >f.csv
cp f.csv bad.csv
printf '10001234;1;000000000001;GTO-2026-0003;1;82000875;3007;x;0,00;10,00;não glosado\r\n' >>bad.csv
expect_code 78 "a recurso needs the operator's name" tiss-recurso -C ws import f.csv
conf ws nome "OPERADORA DE TESTE"
expect_code 65 "an item not glossed: the whole file refused" tiss-recurso -C ws import bad.csv
has err "bad.csv:4:7: codigoGlosa: item 1 of guide GTO-2026-0003 was not glossed" "says where and why"
sed 's/;250,00;Proc/;300,00;Proc/' f.csv >more.csv
expect_code 65 "more than the glosa" tiss-recurso -C ws import more.csv
has err "more.csv:3:10: valorRecursado: more than the glosa" "says so"
same "0" "$(sql ws "SELECT count(*) FROM recurso")" "nothing built"

expect_code 0 "import the worksheet" tiss-recurso -C ws import f.csv
has out "recurso 1 of 10001234 (lote 1, protocolo 000000000001): 2 items, R$ 300,00 appealed: out/10001234/recurso_1_ws.xml" "one recurso for the lote"
python3 -c '
import sys, xml.etree.ElementTree as ET
body = ET.parse(sys.argv[1]).getroot()[0][0]
ET.ElementTree(body).write(sys.argv[2], encoding="ISO-8859-1")' ws/out/10001234/recurso_1_ws.xml body.xml
check "its request is valid against the official schema" \
	xmllint --noout --nonet --schema "$TISS_SHARED/4.03.00/tissWebServicesV4_03_00.xsd" body.xml
expect_code 65 "an item is appealed once per glosa" tiss-recurso -C ws import f.csv
has err "was appealed for glosa 3007 already, in recurso 1" "says which recurso"
expect_code 0 "nothing left to export" tiss-recurso -C ws export
same "1" "$(wc -l <out | tr -d ' ')" "the header only"

echo "error:5002" >op/modes
expect_code 65 "the operator rejects the recurso" tiss-recurso -C ws send
has err "rejected by the operator: mensagemErro 5002" "says so"
same "rejeitado|0" "$(sql ws "SELECT status, (SELECT sum(ativo) FROM recurso_item) FROM recurso")" "recorded; items free"
expect_code 0 "they may be appealed again" tiss-recurso -C ws export -o w2.csv
fill w2.csv "  Procedimento realizado conforme prontuário  " | iconv -f UTF-8 -t CP1252 >f2.csv
expect_code 0 "a new recurso, from a Windows-1252 worksheet" tiss-recurso -C ws import f2.csv
has out "recurso 2 of 10001234" "numbered 2"
same "Procedimento realizado conforme prontuário" "$(sql ws "SELECT DISTINCT justificativa FROM recurso_item WHERE ativo = 1")" "the justificativa in UTF-8, trimmed"

# Hostile answers to the send: nothing stored, the recurso stays to send.
for mode in badhash invalid xxe; do
	printf '%s\n%s\n' "$mode" "$mode" >op/modes
	expect_code 76 "send, $mode: refused" tiss-recurso -C ws send
	same "enviando|" "$(sql ws "SELECT status, numeroProtocolo FROM recurso WHERE numeroLote = 2")" "$mode: no protocolo stored"
done
printf 'http500\nhttp500\n' >op/modes
expect_code 75 "send, HTTP 500: retry later" tiss-recurso -C ws send

# kill -9 while the operator holds the answer; then a rerun.
conf ws timeout 60
echo hang >op/modes
n=$(grep -c tissRecursoGlosa op/requests.log)
tiss-recurso -C ws send >send.out 2>send.err &
pid=$!
for _ in $(seq 600); do
	[ "$(grep -c tissRecursoGlosa op/requests.log)" -gt "$n" ] && break
	sleep 0.1
done
kill -9 $pid
wait $pid 2>/dev/null
same "enviando" "$(sql ws "SELECT status FROM recurso WHERE numeroLote = 2")" "killed: the intent was committed"
conf ws timeout 120
expect_code 0 "the rerun resends it" tiss-recurso -C ws send
has err "was being sent when a run stopped" "says so"
same "1" "$(grep -c '^10001234 2 ' op/recursos.log)" "the operator received it once"
same "enviado|$(awk '$2 == 2 { print $4 }' op/recursos.log)" "$(sql ws "SELECT status, numeroProtocolo FROM recurso WHERE numeroLote = 2")" "the DB has its protocolo"
n=$(grep -c tissRecursoGlosa op/requests.log)
expect_code 0 "nothing more to send" tiss-recurso -C ws send
same "$n" "$(grep -c tissRecursoGlosa op/requests.log)" "never sent twice"

for mode in badhash invalid xxe http503; do
	printf '%s\n%s\n' "$mode" "$mode" >op/modes
	tiss-recurso -C ws status >out 2>err
	rc=$?
	case $rc in 75|76) pass "status, $mode: refused ($rc)" ;; *) fail "status, $mode: exit $rc" ;; esac
done
same "|" "$(sql ws "SELECT statusProtocolo, valorAcatado FROM recurso WHERE numeroLote = 2")" "nothing stored"
expect_code 0 "status: in analysis" tiss-recurso -C ws status
has out "recurso 2 of 10001234, protocolo" "printed"
has out ": 2 Em análise" "with its status"
printf 'GTO-2026-0001 1 5000\nGTO-2026-0001 2 10000\n' >op/recurso-acatado
expect_code 0 "status: answered" tiss-recurso -C ws status
has out "answered: R$ 150,00 granted" "the amount granted"
same "1|3007|5000|5000
2|1705|25000|10000" "$(sql ws "SELECT sequencialItem, codigoGlosa, valorRecursado, valorAcatado FROM recurso_item WHERE ativo = 1 ORDER BY 1")" \
	"the values granted per item"
expect_code 0 "list" tiss-recurso -C ws list
has out "10001234	2	enviado	" "the recursos listed"
has out "300.00	150.00" "with their amounts"

stop_operator
done_testing
