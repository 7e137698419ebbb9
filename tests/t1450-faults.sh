#!/bin/sh
# A SOAP Fault that is no verdict, one rule for the five programs that
# talk to the operator (tissmsg.h, tiss(7)): a fault that is neither the
# operator's verdict nor a server's failure (a soap:Client fault with no
# tissFault on HTTP 400, a tissFault the standard does not define on
# HTTP 500) is never a rejection; after a send (tiss-send, tiss-recurso
# send, tiss-cancela) it is 76, a person must look, and what was sent
# stays to be sent again with the same bytes; after a query (tiss-status,
# tiss-demonstrativo, tiss-recurso status) it is 75, asked again later.
# A gateway's soap:Server fault is 75 for all five.
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "the fake operator listens on 127.0.0.1" test -n "$OP_PORT"

reset_operator() {
	rm -rf op/lotes op/protocolos op/seq op/received.log op/requests.log \
		op/modes op/login op/recursos.log op/cancelamentos.log op/demo-glosas
}

# twice MODE: the next request and its retry answered as MODE.
twice() { printf '%s\n%s\n' "$1" "$1" >op/modes; }

# cycle MODE SEND QUERY: each program given MODE; SEND is the exit
# wanted after a send, QUERY after a query.
cycle() {
	_m=$1
	reset_operator
	_w=ws$(echo "$_m" | tr -c 'a-zA-Z0-9\n' _)
	check "$_m: workspace" ready_workspace "$_w"
	after_endpoints "$_w"
	conf "$_w" cancela_endpoint "https://127.0.0.1:$OP_PORT/tissCancelaGuia"
	conf "$_w" nome "OPERADORA DE TESTE"

	twice "$_m"
	expect_code "$2" "$_m: tiss-send exits $2" tiss-send -C "$_w" --lote 1 -p 10001234
	same "enviando" "$(lote_status "$_w" 10001234)" "$_m: the lote stays enviando, never rejeitado"
	expect_code 0 "$_m: the next run gets the protocolo" tiss-send -q -C "$_w"
	same "enviado|1" "$(lote_status "$_w" 10001234)|$(received op 10001234)" \
		"$_m: enviado, held once by the operator"

	twice "$_m"
	expect_code "$3" "$_m: tiss-status exits $3" tiss-status -C "$_w"
	same "" "$(sql "$_w" "SELECT statusProtocolo FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")" \
		"$_m: tiss-status stored nothing"
	expect_code 0 "$_m: tiss-status asked again" tiss-status -q -C "$_w"

	echo "GTO-2026-0001 1 3007 5000" >op/demo-glosas
	twice "$_m"
	expect_code "$3" "$_m: tiss-demonstrativo exits $3" \
		tiss-demonstrativo -C "$_w" -p 10001234 --competencia 03/2026
	same "0" "$(sql "$_w" "SELECT count(*) FROM demonstrativo")" \
		"$_m: tiss-demonstrativo stored nothing"
	expect_code 0 "$_m: tiss-demonstrativo asked again" \
		tiss-demonstrativo -q -C "$_w" -p 10001234 --competencia 03/2026

	tiss-recurso -C "$_w" export -p 10001234 -o "$_w.csv" >/dev/null 2>&1
	awk -F';' -v OFS=';' 'NR > 1 { $11 = "Realizado conforme prontuário" } { print }' \
		"$_w.csv" >"$_w-f.csv"
	expect_code 0 "$_m: a recurso" tiss-recurso -C "$_w" import "$_w-f.csv"
	twice "$_m"
	expect_code "$2" "$_m: tiss-recurso send exits $2" tiss-recurso -C "$_w" send
	same "enviando|" "$(sql "$_w" "SELECT status, numeroProtocolo FROM recurso")" \
		"$_m: the recurso stays enviando, never rejeitado"
	expect_code 0 "$_m: sent again, the same bytes" tiss-recurso -C "$_w" send
	same "enviado|1" "$(sql "$_w" "SELECT status FROM recurso")|$(cat op/recursos.log | wc -l)" \
		"$_m: enviado, held once by the operator"

	twice "$_m"
	expect_code "$3" "$_m: tiss-recurso status exits $3" tiss-recurso -C "$_w" status
	same "|" "$(sql "$_w" "SELECT statusProtocolo, valorAcatado FROM recurso")" \
		"$_m: tiss-recurso status stored nothing"

	twice "$_m"
	expect_code "$2" "$_m: tiss-cancela exits $2" \
		tiss-cancela -C "$_w" -p 10001234 --motivo "enviada por engano" GTO-2026-0001
	same "pedido" "$(sql "$_w" "SELECT situacao FROM cancelamento")" \
		"$_m: the cancellation stays asked, not recusado"
	expect_code 0 "$_m: asked again" tiss-cancela -C "$_w" --pendentes
	same "cancelada" "$(sql "$_w" "SELECT situacao FROM cancelamento")" "$_m: cancelada"
}

cycle clientfault:400 76 75
cycle fault:Desconhecido 76 75
cycle gateway:502 75 75

# What each says, after a send: a person must look.
reset_operator
check "workspace" ready_workspace msg
after_endpoints msg
conf msg cancela_endpoint "https://127.0.0.1:$OP_PORT/tissCancelaGuia"
twice clientfault:400
expect_code 76 "tiss-send: a client fault" tiss-send -C msg --lote 1 -p 10001234
has err "a SOAP fault soap:Client with no tissFault (HTTP 400)" "tiss-send names the fault, not only the HTTP status"
has err "a person should look at the answer" "tiss-send asks for a person"
expect_code 0 "sent" tiss-send -q -C msg
twice fault:Desconhecido
expect_code 76 "tiss-cancela: an unknown tissFault" \
	tiss-cancela -C msg -p 10001234 --motivo "enviada por engano" GTO-2026-0001
has err "tissFault Desconhecido (HTTP 500)" "tiss-cancela names the fault"
has err "a person should ask the operator" "tiss-cancela asks for a person"
twice fault:Desconhecido
expect_code 75 "tiss-status: an unknown tissFault" tiss-status -C msg
has err "tissFault Desconhecido (HTTP 500)" "tiss-status names the fault"

stop_operator
done_testing
