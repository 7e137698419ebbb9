#!/bin/sh
# tiss-status against the fake operator: statusProtocolo, values and
# glosas per lote and guide, final statuses not asked again, errors; and
# the 2ª via of the protocolo (tiss-report protocolo).
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "workspace with two lotes ready" ready_workspace ws

expect_code 0 "nothing sent, nothing to ask" tiss-status -C ws
expect_code 0 "--help exits 0" tiss-status --help
has out "usage: tiss-status" "with the usage on stdout"
expect_code 64 "--lote takes a lote number" tiss-status -C ws --lote 0
check "no request made" test ! -e op/requests.log
expect_code 65 "no 2ª via before the protocolo" tiss-report -C ws protocolo 1 -p 10001234
has err "has no protocolo" "says why"

expect_code 0 "send" tiss-send -q -C ws
expect_code 0 "ask the status" tiss-status -C ws
has out "lote 1 of 10001234: protocolo 000000000001: 1 Recebido" "status 1 printed"
same "1|1" "$(sql ws "SELECT group_concat(statusProtocolo, '|') FROM lote")" "statusProtocolo stored"
same "2" "$(grep -c '^/tissSolicitacaoStatusProtocolo ' op/requests.log)" "one request per lote"

echo 6 >op/status
echo 10000 >op/glosa
expect_code 0 "ask again after payment" tiss-status -C ws
has out "6 Pagamento Efetuado; processado R$ 2.085,50, glosa R$ 100,00, liberado R$ 1.985,50" "values printed"
same "6|208550|10000|198550" "$(sql ws "SELECT statusProtocolo, valorProcessado, valorGlosa, valorLiberado FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")" \
	"lote values stored"
same "GTO-2026-0001|3007|status" "$(sql ws "SELECT g.numeroGuiaPrestador, codigoGlosa, fonte FROM glosa g JOIN lote l ON l.id = g.lote_id WHERE l.codigoPrestadorNaOperadora = '10001234'")" \
	"the guide's glosa stored with its code"
same "10000" "$(sql ws "SELECT valorGlosa FROM protocolo_guia WHERE numeroGuiaPrestador = 'GTO-2026-0001'")" "and the guide's values"
expect_code 0 "a final status is not asked again" tiss-status -C ws
same "4" "$(grep -c '^/tissSolicitacaoStatusProtocolo ' op/requests.log)" "no request made"
expect_code 0 "unless named" tiss-status -C ws --lote 1 -p 10001234
same "5" "$(grep -c '^/tissSolicitacaoStatusProtocolo ' op/requests.log)" "one request"
same "1" "$(sql ws "SELECT count(*) FROM glosa g JOIN lote l ON l.id = g.lote_id WHERE l.codigoPrestadorNaOperadora = '10001234'")" \
	"a new status replaces the glosas of the last"

# The 2ª via.
expect_code 0 "2ª via as text" tiss-report -C ws protocolo 1 -p 10001234
has out "000000000001" "has the protocolo number"
has out "R\$ 2.085,50" "the total as money is written in Brazil"
has out "6 Pagamento Efetuado" "the status"
has out "GTO-2026-0001" "the guides"
has out "3007" "the glosas"
expect_code 0 "2ª via as HTML to a file" tiss-report -C ws --format html -o via.html protocolo 1 -p 10001234
has via.html "<td>000000000001</td>" "the HTML has the protocolo"
check "the HTML parses" xmllint --html --noout via.html

# Errors.
sql ws "UPDATE lote SET statusProtocolo = NULL, numeroProtocolo = '999' WHERE codigoPrestadorNaOperadora = '20005678'"
expect_code 65 "a protocolo the operator does not know" tiss-status -C ws
has err "5052" "gives the operator's code"
same "" "$(sql ws "SELECT statusProtocolo FROM lote WHERE codigoPrestadorNaOperadora = '20005678'")" "nothing stored"
sql ws "UPDATE lote SET numeroProtocolo = '000000000002' WHERE codigoPrestadorNaOperadora = '20005678'"
printf 'http503\nhttp503\n' >op/modes
expect_code 75 "no answer after the retries" tiss-status -C ws
printf 'garbage\ngarbage\n' >op/modes
expect_code 76 "an unreadable answer" tiss-status -C ws
printf 'gateway:500\ngateway:500\n' >op/modes
expect_code 75 "a gateway's soap:Server fault on HTTP 500: retry later, not unreadable" tiss-status -C ws
has err "no tissFault" "says the fault named no business rule"
printf 'fault:Desconhecido\nfault:Desconhecido\n' >op/modes
expect_code 75 "an unknown tissFault on HTTP 500: no verdict; a query is asked again (t1450)" tiss-status -C ws
has err "tissFault Desconhecido (HTTP 500)" "says the fault, not only the HTTP status"
expect_code 0 "then it works" tiss-status -C ws
same "6" "$(sql ws "SELECT statusProtocolo FROM lote WHERE codigoPrestadorNaOperadora = '20005678'")" "stored"

stop_operator
done_testing
