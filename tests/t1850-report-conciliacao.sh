#!/bin/sh
# tiss-report conciliacao (text, CSV, HTML, XML valid against
# xsd/relatorios.xsd) and the paid amount in the acompanhamento.
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "workspace with two lotes ready" ready_workspace ws
after_endpoints ws
conf ws nome "OPERADORA DE TESTE"
expect_code 0 "send" tiss-send -q -C ws
echo 2026-04-10 >op/demo-data
printf 'GTO-2026-0001 1 3007 5000\nGTO-2026-0001 2 1705 25000\n' >op/demo-glosas
expect_code 0 "a demonstrativo partly glossed" tiss-demonstrativo -q -C ws -p 10001234 --competencia 03/2026
sql ws "UPDATE lote SET enviadoEm = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days') WHERE codigoPrestadorNaOperadora = '20005678'"

expect_code 0 "the reconciliation as text" tiss-report -C ws conciliacao --competencia 03/2026
cp out conc.txt
has conc.txt "CONCILIAÇÃO - competência 03/2026" "titled"
has conc.txt "1      03/2026  000000000001     3    R\$ 2.085,50    R\$ 2.085,50    R\$ 1.785,50      R\$ 300,00    R\$ 1.785,50              —              —        R\$ 0,00" \
	"the lote: billed, processed, released, glossed, paid, nothing to receive"
has conc.txt "GUIAS SEM DEMONSTRATIVO HÁ MAIS DE 30 DIAS" "the absent guides"
has conc.txt "20005678   lote 1     CLI-778                    R\$ 215,00  enviada em" "listed"
has conc.txt "GLOSAS POR CÓDIGO
1705   1 item(ns)         R\$ 250,00  valor apresentado a maior" "glosas by code, the costliest first"
expect_code 0 "--dias 60" tiss-report -C ws conciliacao --dias 60
has out "HÁ MAIS DE 60 DIAS
nenhuma" "none absent after 60 days"
expect_code 64 "--dias takes a number" tiss-report -C ws conciliacao --dias x

expect_code 0 "as XML" tiss-report -C ws conciliacao --competencia 03/2026 --format xml
cp out conc.xml
check "valid against xsd/relatorios.xsd" xmllint --noout --schema "$TISS_SRC/xsd/relatorios.xsd" conc.xml
expect_code 0 "as CSV" tiss-report -C ws conciliacao --competencia 03/2026 --format csv
has out '"lote";"10001234";"03/2026";"1";"000000000001";"3";"2085,50";"2085,50";"1785,50";"300,00";"1785,50";"";"";"0,00"' "the lote's line"
has out '"glosa";"";"";"";"";"";"";"";"";"250,00";"";"";"";"";"1705";"valor apresentado a maior";"1"' "a glosa's line"
expect_code 0 "as HTML" tiss-report -C ws conciliacao --competencia 03/2026 --format html -o conc.html
has conc.html "<h1>Conciliação</h1>" "titled"
check "well-formed" xmllint --noout --html conc.html

expect_code 0 "the acompanhamento shows the paid amount" tiss-report -C ws acompanhamento --competencia 03/2026
has out "       pago: R\$ 1.785,50 em 10/04/2026" "once known"
expect_code 0 "acompanhamento as XML" tiss-report -C ws acompanhamento --competencia 03/2026 --format xml
cp out acomp.xml
check "still valid" xmllint --noout --schema "$TISS_SRC/xsd/relatorios.xsd" acomp.xml
expect_code 0 "acompanhamento as HTML" tiss-report -C ws acompanhamento --competencia 03/2026 --format html
has out "Pago: R\$" "in HTML too"

stop_operator
done_testing
