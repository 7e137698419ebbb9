#!/bin/sh
# tiss-cancela: a sent guide cancelled with its reason and the operator's
# receipt; a guide not sent, or unknown, refused; the operator's refusal;
# no answer asked again; a cancelled guide never billed again.
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "workspace with two lotes ready" ready_workspace ws
conf ws cancela_endpoint "https://127.0.0.1:$OP_PORT/tissCancelaGuia"

expect_code 64 "the reason is required" tiss-cancela -C ws -p 10001234 GTO-2026-0001
expect_code 64 "a prestador is required" tiss-cancela -C ws --motivo x GTO-2026-0001
expect_code 0 "--help" tiss-cancela --help
expect_code 65 "a guide not sent is not cancelled at the operator" tiss-cancela -C ws -p 10001234 --motivo "enviada por engano" GTO-2026-0001
has err "is em_lote, not sent" "says why"
expect_code 65 "an unknown guide" tiss-cancela -C ws -p 10001234 --motivo x NAO-EXISTE
check "no request made" test ! -e op/requests.log

expect_code 0 "send" tiss-send -q -C ws
printf 'http503\nhttp503\n' >op/modes
expect_code 75 "no answer: asked again later" tiss-cancela -C ws -p 10001234 --motivo "enviada por engano" GTO-2026-0001
same "pedido|enviada por engano" "$(sql ws "SELECT situacao, motivo FROM cancelamento")" "the request recorded with its reason"
expect_code 0 "--pendentes asks again" tiss-cancela -C ws --pendentes
has out "guide GTO-2026-0001 of 10001234: cancelada (receipt out/10001234/cancelamento_1.xml)" "cancelled"
same "cancelada|1|out/10001234/cancelamento_1.xml" "$(sql ws "SELECT situacao, statusCancelamento, reciboArquivo FROM cancelamento")" "recorded with the receipt"
check "the receipt kept" grep -q reciboCancelaGuiaWS ws/out/10001234/cancelamento_1.xml
same "10001234 GTO-2026-0001" "$(cat op/cancelamentos.log)" "the operator cancelled it"
n=$(grep -c tissCancelaGuia op/requests.log)
expect_code 0 "cancelled already" tiss-cancela -C ws -p 10001234 --motivo x GTO-2026-0001
same "$n" "$(grep -c tissCancelaGuia op/requests.log)" "nothing asked"
same "enviada" "$(sql ws "SELECT status FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0001'")" "the guide keeps its sent status"
tiss-lote -q -C ws build >/dev/null 2>&1
same "1" "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0001' AND lote_id = (SELECT id FROM lote WHERE codigoPrestadorNaOperadora = '10001234' AND numeroLote = 1)")" \
	"and is never put in another lote"
same "1" "$(sql ws "SELECT cancelada FROM conciliacao_guia WHERE numeroGuiaPrestador = 'GTO-2026-0001'")" "the reconciliation knows it"

echo "fault:ErroInesperadoServidor" >op/modes
echo "fault:ErroInesperadoServidor" >>op/modes
expect_code 75 "a server fault: unknown, asked again" tiss-cancela -C ws -p 10001234 --motivo "erro" GTO-2026-0002
echo "cancel:3" >op/modes
expect_code 65 "a guide the operator does not know (3)" tiss-cancela -C ws --pendentes
has err "statusCancelamento 3 guia inexistente" "says why"
echo "cancel:4" >op/modes
expect_code 75 "in processing (4): asked again later" tiss-cancela -C ws -p 10001234 --motivo "erro" GTO-2026-0002
same "pedido" "$(sql ws "SELECT situacao FROM cancelamento WHERE id = 3")" "still asked"
same "recusado|3" "$(sql ws "SELECT situacao, statusCancelamento FROM cancelamento WHERE id = 2")" "recorded as refused"

stop_operator
done_testing
