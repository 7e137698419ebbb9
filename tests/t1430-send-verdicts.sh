#!/bin/sh
# tiss-send: who may reject a lote (only the operator's own verdict, not
# a gateway's fault), the exit code of several workers (exit_worse), the
# cap on retry waits, a refused client certificate classified the same
# way every time, and a prestador code that cannot name a folder.
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "the fake operator listens on 127.0.0.1" test -n "$OP_PORT"

reset_operator() {
	rm -rf op/lotes op/protocolos op/seq op/received.log op/requests.log op/modes op/login
}

# ---- a gateway's fault is not the operator's verdict (issue 13 #3) --------
for st in 500 502 503; do
	reset_operator
	check "workspace" ready_workspace gw$st
	printf 'gateway:%s\ngateway:%s\n' $st $st >op/modes
	expect_code 75 "soap:Server fault on HTTP $st twice: outcome unknown, exit 75" \
		tiss-send -C gw$st --lote 1 -p 10001234
	same "enviando" "$(lote_status gw$st 10001234)" "HTTP $st: the lote stays enviando, not rejeitado"
	has err "no tissFault" "HTTP $st: says the fault named no business rule"
	same "1" "$(received op 10001234)" "HTTP $st: the operator did get it"
	expect_code 0 "HTTP $st: the next run gets the protocolo" tiss-send -C gw$st
	same "enviado" "$(lote_status gw$st 10001234)" "HTTP $st: enviado"
	same "1" "$(received op 10001234)" "HTTP $st: held once by the operator"
done
reset_operator
check "workspace" ready_workspace biz
echo "fault:SchemaInvalido" >op/modes
expect_code 65 "a tissFault naming a business rule still rejects" tiss-send -C biz --lote 1 -p 10001234
same "rejeitado" "$(lote_status biz 10001234)" "rejeitado"
reset_operator
check "workspace" ready_workspace ie
printf 'fault:ErroInesperadoServidor\nfault:ErroInesperadoServidor\n' >op/modes
expect_code 75 "tissFault ErroInesperadoServidor is not a rejection" tiss-send -C ie --lote 1 -p 10001234
same "enviando" "$(lote_status ie 10001234)" "the lote stays enviando"

# ---- several workers: the most severe exit wins (issue 12) ----------------
# pool WS: a workspace with 10 or more lotes of one guide, 3 connections.
pool() {
	tiss-init "$1" >/dev/null
	conf "$1" registro_ans 123456
	conf "$1" schemas "$TISS_SHARED/4.03.00"
	conf "$1" tamanho_lote 1
	"$TISS_BUILD/tools/gen-csv" 30 2 >"$1.csv"
	tiss-import -q -C "$1" "$1.csv"
	tiss-validate -q -C "$1"
	tiss-lote -q -C "$1" build >/dev/null
	tiss-xml -q -C "$1" >/dev/null
	cp pki/ca-client.pem pki/ca-client.key "$1/secrets/"
	conf "$1" endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias"
	conf "$1" ca_file "$PWD/pki/ca.pem"
	conf "$1" client_cert secrets/ca-client.pem
	conf "$1" client_key secrets/ca-client.key
	conf "$1" connections 3
	conf "$1" retries 0
	conf "$1" connect_timeout 60
	conf "$1" timeout 120
}

reset_operator
pool p76
printf 'garbage\nhttp503\n' >op/modes
expect_code 76 "one worker meets an unreadable answer (76), another 75: exit 76" tiss-send -C p76
has err "a person should look" "says a person should look"

reset_operator
pool p78
printf 'not a certificate\n' >p78/secrets/bad.pem
chmod 600 p78/secrets/bad.pem
conf p78 client_cert secrets/bad.pem
expect_code 78 "the workers cannot use the client certificate: exit 78" tiss-send -C p78
has err "check client_cert" "names the key to fix"
same "0" "$(sql p78 "SELECT count(*) FROM lote WHERE status <> 'xml_gerado'")" "every lote as before"

# A worker killed (a crash) while its operator hangs: exit 70.
reset_operator
pool p70
conf p70 timeout 120
echo hang >op/modes
tiss-send -C p70 >p70.out 2>p70.err &
pid=$!
# Wait until the two other workers have sent their lotes and ended (they
# may stay zombies until the parent waits for them).
live() {
	ps -o pid=,stat= --ppid $pid | awk '$2 !~ /^Z/ {print $1}'
}
n=$(sql p70 "SELECT count(*) FROM lote")
for _ in $(seq 600); do
	[ -f op/received.log ] && [ "$(wc -l <op/received.log)" -ge 3 ] &&
		[ "$(live | wc -l)" -eq 1 ] && break
	sleep 0.1
done
w=$(live)
check "one worker is left, hanging" test -n "$w" -a "$(live | wc -l)" -eq 1
kill -9 $w
wait $pid
same "70" "$?" "a worker killed makes tiss-send exit 70"
has p70.err "worker" "and says a worker died"
same "1" "$(sql p70 "SELECT count(*) FROM lote WHERE status = 'enviando'")" "its lote stays enviando"
expect_code 0 "the rerun sends what is left" tiss-send -C p70
same "$n" "$(sql p70 "SELECT count(*) FROM lote WHERE status = 'enviado'")" "every lote enviado"

# ---- the retry waits are capped (issue 13 #14) -----------------------------
reset_operator
check "workspace" ready_workspace cap
conf cap retries 10
conf cap retry_delay 301
expect_code 78 "retry_delay above 300 s is refused" tiss-send -C cap
has err "retry_delay" "naming the key"
conf cap retry_delay 1
conf cap retry_max_total 100000
expect_code 78 "retry_max_total above an hour is refused" tiss-send -C cap
has err "retry_max_total" "naming the key"
conf cap retry_max_total 1
printf 'http503\nhttp503\nhttp503\nhttp503\nhttp503\n' >op/modes
expect_code 75 "503 five times with 10 retries of 1 s doubling" tiss-send -C cap --lote 1 -p 10001234
has err "retry_max_total" "stops when the run's waiting budget is spent"
same "2" "$(grep -c ' http503 ' op/requests.log)" "after one wait of 1 s"

# ---- a refused client certificate is 69 every time (issue 13 #4) ----------
reset_operator
check "workspace" ready_workspace tls
cp pki/other-client.pem pki/other-client.key tls/secrets/
conf tls client_cert secrets/other-client.pem
conf tls client_key secrets/other-client.key
conf tls connect_timeout 60
codes=
for i in 1 2 3 4 5 6 7 8 9 10; do
	tiss-send -C tls --lote 1 -p 10001234 >/dev/null 2>tls.err
	codes="$codes $?"
done
same " 69 69 69 69 69 69 69 69 69 69" "$codes" "a client certificate the operator does not know: 69, ten times in ten"
has tls.err "refuses our TLS connection" "says the server refuses the connection"
same "0" "$(received op 10001234)" "nothing received"

# ---- a prestador code that cannot name a folder (issue 13 #1) -------------
reset_operator
check "workspace" ready_workspace pt
sql pt "UPDATE lote SET codigoPrestadorNaOperadora = '../../x' WHERE codigoPrestadorNaOperadora = '10001234'"
expect_code 65 "a prestador '../../x' is refused" tiss-send -C pt --lote 1 -p ../../x
has err "cannot name a folder" "says why"
check "nothing written outside the workspace" test ! -e x
same "0" "$(received op ../../x)" "nothing sent"
same "xml_gerado" "$(sql pt "SELECT status FROM lote WHERE codigoPrestadorNaOperadora = '../../x'")" "the lote is as before"

stop_operator
done_testing
