#!/bin/sh
# The portal path: with [operadora] envio = portal tiss-send posts
# nothing and marks the lotes ready for upload; tiss-portal records the
# protocolo by hand or from the portal's receipt (schema and hash
# checked); then the lote is 'enviado' like any other.
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "workspace with two lotes ready" ready_workspace ws
conf ws envio portal

expect_code 0 "tiss-send in portal mode" tiss-send -C ws
has out "lote 1 of 10001234: ready for upload on the operator's portal: out/10001234/" "says where the XML is"
check "nothing posted" test ! -e op/requests.log
same "xml_gerado|xml_gerado|2" "$(sql ws "SELECT group_concat(status, '|'), count(portalProntoEm) FROM lote")" "marked, still to send"
expect_code 0 "list" tiss-portal -C ws list
same "2" "$(wc -l <out | tr -d ' ')" "both lotes listed"

expect_code 64 "protocolo needs -p" tiss-portal -C ws protocolo 1 P123
expect_code 65 "a protocolo must be letters or digits" tiss-portal -C ws -p 10001234 protocolo 1 '../x'
expect_code 0 "record the protocolo the portal shows" tiss-portal -C ws -p 10001234 protocolo 1 PORTAL123 31/03/2026
has out "lote 1 of 10001234: protocolo PORTAL123" "printed"
same "enviado|PORTAL123|2026-03-31|portal" "$(sql ws "SELECT status, numeroProtocolo, dataEnvioLote, envioMeio FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")" \
	"the lote is sent"
same "enviada" "$(sql ws "SELECT DISTINCT g.status FROM guia g JOIN lote l ON l.id = g.lote_id WHERE l.codigoPrestadorNaOperadora = '10001234'")" "and its guides"
expect_code 0 "the same again changes nothing" tiss-portal -C ws -p 10001234 protocolo 1 PORTAL123
has out "(recorded already)" "says so"
expect_code 65 "another protocolo is refused" tiss-portal -C ws -p 10001234 protocolo 1 OUTRO
has err "has protocolo PORTAL123 already" "says why"
expect_code 0 "tiss-send: nothing more for the portal" tiss-send -C ws -p 10001234

# The portal's receipt file for lote 1 of 20005678.
check "the portal's receipt files made" python3 "$TISS_SRC/tests/tools/portal-recibo.py"
sed 's/777000111/777000112/' recibo.xml >edited.xml
expect_code 65 "an edited receipt (wrong hash)" tiss-portal -C ws recibo edited.xml
has err "hash is wrong" "says why"
expect_code 65 "a receipt of another prestador" tiss-portal -C ws -p 10001234 recibo recibo.xml
printf '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' >xxe.xml
expect_code 65 "an XXE file" tiss-portal -C ws recibo xxe.xml
same "xml_gerado" "$(lote_status ws 20005678)" "nothing recorded"
expect_code 0 "the portal's receipt" tiss-portal -C ws recibo recibo.xml
has out "lote 1 of 20005678: protocolo 777000111" "recorded"
same "enviado|777000111|2026-04-01|133500" "$(sql ws "SELECT status, numeroProtocolo, dataEnvioLote, valorTotalProtocolo FROM lote WHERE codigoPrestadorNaOperadora = '20005678'")" \
	"with its date and value"

expect_code 0 "the same receipt as a mensagemTISS" tiss-portal -C ws recibo recibo-mensagem.xml
has out "lote 1 of 20005678: protocolo 777000111 (recorded already)" "read, schema and hash checked"
sed 's/1335.00/1336.00/' recibo-mensagem.xml >edited-mensagem.xml
expect_code 65 "an edited mensagemTISS receipt" tiss-portal -C ws recibo edited-mensagem.xml
has err "hash is wrong" "says why"

# From then on, as a web-service lote: tiss-status asks about it (this
# fake operator never received it, and says so).
expect_code 65 "the status of a portal lote is asked" tiss-status -C ws -p 10001234
has err "protocolo PORTAL123: no status: mensagemErro 5052" "the operator's answer"
stop_operator
done_testing
