#!/bin/sh
# The reconciliation's numbers (views conciliacao_guia, conciliacao_lote,
# conciliacao_glosa): billed, processed, released, glossed, paid,
# appealed, granted and outstanding per lote; guides absent from any
# demonstrativo after N days; glosas by code with their amounts.
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "workspace with two lotes ready" ready_workspace ws
after_endpoints ws
conf ws cancela_endpoint "https://127.0.0.1:$OP_PORT/tissCancelaGuia"
conf ws nome "OPERADORA DE TESTE"
expect_code 0 "send" tiss-send -q -C ws

lote() { sql ws "SELECT guias, faturado, processado, liberado, glosado, pago, acatado, em_recurso, a_receber, sem_demonstrativo FROM conciliacao_lote WHERE prestador = '$1'"; }
b2=$(sql ws "SELECT sum(coalesce(valorTotalProc, valorTotalInformado)) FROM guia WHERE codigoPrestadorNaOperadora = '20005678'")
n2=$(sql ws "SELECT count(*) FROM guia WHERE codigoPrestadorNaOperadora = '20005678'")

same "3|208550|||||||208550|3" "$(lote 10001234)" "billed 2085.50, all of it to receive"

printf 'GTO-2026-0001 1 3007 5000\nGTO-2026-0001 2 1705 25000\nGTO-2026-0003 1 3007 1000\n' >op/demo-glosas
expect_code 0 "a demonstrativo partly glossed" tiss-demonstrativo -q -C ws -p 10001234 --competencia 03/2026
same "3|208550|208550|177550|31000|177550|||0|0" "$(lote 10001234)" \
	"processed 2085.50, glossed 310.00, paid 1775.50, nothing outstanding"
same "$n2|$b2|||||||$b2|$n2" "$(lote 20005678)" "the other prestador: no demonstrativo, all outstanding"
same "3007|procedimentos odontológicos duplicados|2|6000
1705|valor apresentado a maior|1|25000" "$(sql ws "SELECT codigoGlosa, descricaoGlosa, itens, valor FROM conciliacao_glosa WHERE prestador = '10001234' ORDER BY itens DESC")" \
	"glosas by code with their amounts"

absent() { sql ws "SELECT group_concat(numeroGuiaPrestador, ' ') FROM (SELECT numeroGuiaPrestador FROM conciliacao_guia WHERE processado IS NULL AND NOT cancelada AND dias > $1 ORDER BY 1)"; }
same "" "$(absent 30)" "none absent after 30 days yet"
sql ws "UPDATE lote SET enviadoEm = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days')"
same "$(sql ws "SELECT group_concat(numeroGuiaPrestador, ' ') FROM (SELECT numeroGuiaPrestador FROM guia WHERE codigoPrestadorNaOperadora = '20005678' ORDER BY 1)")" \
	"$(absent 30)" "after 40 days: the guides no demonstrativo mentions"

expect_code 0 "export" tiss-recurso -C ws export -p 10001234 --lote 1 -o w.csv
awk -F';' -v OFS=';' 'NR == 1 || $4 == "GTO-2026-0001" { if (NR > 1) $11 = "Realizado conforme prontuário"; print }' w.csv >f.csv
expect_code 0 "a recurso for two items" tiss-recurso -C ws import f.csv
expect_code 0 "sent" tiss-recurso -C ws send
same "3|208550|208550|177550|31000|177550||30000|0|0" "$(lote 10001234)" "300.00 under appeal"
printf 'GTO-2026-0001 1 5000\nGTO-2026-0001 2 10000\n' >op/recurso-acatado
expect_code 0 "the appeal answered" tiss-recurso -C ws status
same "3|208550|208550|177550|31000|177550|15000||15000|0" "$(lote 10001234)" "150.00 granted, now to receive"

conf ws cancela_endpoint "https://127.0.0.1:$OP_PORT/tissCancelaGuia"
g=$(sql ws "SELECT numeroGuiaPrestador FROM guia WHERE codigoPrestadorNaOperadora = '20005678' ORDER BY 1 LIMIT 1")
v=$(sql ws "SELECT coalesce(valorTotalProc, valorTotalInformado) FROM guia WHERE numeroGuiaPrestador = '$g'")
expect_code 0 "a guide cancelled" tiss-cancela -C ws -p 20005678 --motivo "enviada por engano" "$g"
same "$((b2 - v))" "$(sql ws "SELECT a_receber FROM conciliacao_lote WHERE prestador = '20005678'")" "no longer outstanding"

stop_operator
done_testing
