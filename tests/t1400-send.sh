#!/bin/sh
# tiss-send against the fake operator over real HTTPS: protocolo,
# rejections, retries, failures of every kind, a crash between the POST
# and the answer, TLS and client certificates, login, secrets.
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "the fake operator listens on 127.0.0.1" test -n "$OP_PORT"

# reset_operator: forget every lote and request; no failure queued.
reset_operator() {
	rm -rf op/lotes op/protocolos op/seq op/received.log op/requests.log op/modes op/login
}

# ---- the happy path -------------------------------------------------------
check "workspace with two lotes ready" ready_workspace ws
expect_code 0 "--dry-run" tiss-send -C ws --dry-run
has out "lote 1 of 10001234: would send" "--dry-run says what it would send"
check "--dry-run sends nothing" test ! -e op/requests.log
same "xml_gerado" "$(lote_status ws 10001234)" "--dry-run changes nothing"

expect_code 0 "send" tiss-send -C ws
has out "lote 1 of 10001234: protocolo 000000000001" "the protocolo is printed"
same "enviado|enviado" "$(sql ws "SELECT group_concat(status, '|') FROM lote")" "both lotes enviado"
same "enviada" "$(sql ws "SELECT DISTINCT status FROM guia")" "their guides enviada"
same "2" "$(wc -l <op/received.log | tr -d ' ')" "the operator received two lotes"
same "000000000001|2085.50|3" "$(sql ws "SELECT numeroProtocolo, printf('%.2f', valorTotalProtocolo / 100.0), (SELECT count(*) FROM protocolo_guia p WHERE p.lote_id = lote.id) FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")" \
	"protocolo, total and per-guide data stored"
f=$(sql ws "SELECT protocoloArquivo FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")
check "the receipt is kept as the operator sent it" xmllint --noout "ws/$f"
same "protocolo" "$(sql ws "SELECT group_concat(DISTINCT resultado) FROM envio")" "each attempt recorded"
sha=$(sql ws "SELECT envioSha256 FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")
check "the SHA-256 recorded is that of the bytes the operator got" grep -q "$sha" op/requests.log
same "000000000001 000000000002" "$(awk '{print $4}' op/requests.log | sort | tr '\n' ' ' | sed 's/ $//')" \
	"every request passed the operator's schema and hash checks"

expect_code 0 "a second run has nothing to send" tiss-send -C ws
same "2" "$(wc -l <op/requests.log | tr -d ' ')" "no request made"
expect_code 0 "a sent lote named again" tiss-send -C ws --lote 1 -p 10001234
has err "never sent twice" "is refused: never sent twice"
same "2" "$(wc -l <op/requests.log | tr -d ' ')" "still no request"
expect_code 66 "a lote that does not exist" tiss-send -C ws --lote 99
# A lote an older tiss-xml made has its loteGuiasWS in a _ws.xml file
# (soapArquivo): that file is what is sent, as before.
reset_operator
check "workspace" ready_workspace old
x=$(sql old "SELECT xmlArquivo FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")
h=$(sql old "SELECT xmlHash FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")
python3 -c 'import re, sys
m = open(sys.argv[1], encoding="latin-1").read()
cut = [re.search("<ans:%s>.*</ans:%s>" % (e, e), m, re.S).group(0) for e in ("cabecalho", "loteGuias")]
open(sys.argv[2], "w", encoding="latin-1").write("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
    "<ans:loteGuiasWS xmlns:ans=\"http://www.ans.gov.br/padroes/tiss/schemas\">\n  %s\n  %s\n"
    "  <ans:hash>%s</ans:hash>\n</ans:loteGuiasWS>\n" % (cut[0], cut[1], sys.argv[3]))' "old/$x" "old/${x%.xml}_ws.xml" "$h"
sql old "UPDATE lote SET soapArquivo = '${x%.xml}_ws.xml' WHERE xmlArquivo = '$x'"
: >"old/$x"
expect_code 0 "a lote with a soapArquivo is sent from it" tiss-send -C old --lote 1 -p 10001234
same "enviado" "$(lote_status old 10001234)" "and gets its protocolo"

expect_code 0 "--help exits 0" tiss-send --help
has out "usage: tiss-send" "with the usage on stdout"
expect_code 64 "--lote takes a lote number" tiss-send -C ws --lote x
expect_code 64 "an unknown option" tiss-send -C ws --bogus
expect_code 0 "-C, --workspace and --prestador are the common options" tiss-send --workspace ws --prestador 10001234 --dry-run

# ---- rejections -----------------------------------------------------------
reset_operator
check "workspace" ready_workspace rj
# A value changed after the hash was computed: tiss-send refuses a file
# that is not the one tiss-xml wrote, and sends nothing.
w=$(sql rj "SELECT xmlArquivo FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")
sed -i 's|<ans:numeroCarteira>\([0-9]*\)</ans:numeroCarteira>|<ans:numeroCarteira>9\1</ans:numeroCarteira>|' "rj/$w"
expect_code 65 "a message file changed on disk is not sent" tiss-send -C rj --lote 1 -p 10001234
has err "is not the file tiss-xml wrote" "it says why"
same "xml_gerado" "$(lote_status rj 10001234)" "the lote stays xml_gerado"
check "no request made" test ! -e op/requests.log
# With its SHA-256 recorded as well, the wrong hash reaches the operator,
# whose own check rejects it.
sql rj "UPDATE lote SET xmlSha256 = '$(sha256sum <"rj/$w" | cut -d' ' -f1)' WHERE xmlArquivo = '$w'"
expect_code 65 "a lote with a wrong hash is rejected" tiss-send -C rj
has out "lote 1 of 10001234: rejeitado: 5014" "the operator's code is printed"
has err "5014" "and explained on stderr"
same "rejeitado|5014" "$(sql rj "SELECT status || '|' || codigoErro FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")" \
	"the lote is rejeitado with its code"
same "em_lote" "$(sql rj "SELECT DISTINCT status FROM guia WHERE codigoPrestadorNaOperadora = '10001234'")" "its guides stay em_lote"
same "enviado" "$(lote_status rj 20005678)" "the other lote went"
expect_code 0 "a rejected lote is not sent again" tiss-send -C rj
same "2" "$(wc -l <op/requests.log | tr -d ' ')" "no request made"

reset_operator
check "workspace" ready_workspace fl
echo "fault:VersaoInvalida" >op/modes
expect_code 65 "a tissFault rejects the lote" tiss-send -C fl
same "rejeitado|VersaoInvalida" "$(sql fl "SELECT status || '|' || codigoErro FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")" \
	"the fault is stored"

reset_operator
check "workspace" ready_workspace me
echo "error:5001" >op/modes
expect_code 65 "a mensagemErro rejects the lote" tiss-send -C me
has out "5001" "with its code"

# ---- temporary failures: retried, then left for the next run --------------
reset_operator
check "workspace" ready_workspace rt
echo "http500" >op/modes
expect_code 0 "HTTP 500 once, then a protocolo on the retry" tiss-send -C rt
has err "retrying" "the retry is logged"
same "1" "$(received op 10001234)" "received once"
same "1" "$(sort -u op/requests.log | awk '$1 == "/tissLoteGuias" {print $3}' | sort | uniq -d | wc -l | tr -d ' ')" \
	"the retry sent the same bytes"

for mode in http503 timeout garbage reset; do
	reset_operator
	check "workspace" ready_workspace "$mode"
	printf '%s\n%s\n' "$mode" "$mode" >op/modes
	want=75
	[ "$mode" = garbage ] && want=76
	# The server answers no sooner than in 30 s: any shorter time-out.
	[ "$mode" = timeout ] && conf "$mode" timeout 1
	# After an empty reply tiss-send waits up to connect_timeout for the
	# server to hang up on a bare connection (a refused certificate):
	# this server never does, so any short wait.
	[ "$mode" = reset ] && conf "$mode" connect_timeout 1
	expect_code $want "$mode twice: exit $want" tiss-send -C "$mode" --lote 1 -p 10001234
	has err "stays ready to send" "$mode: says the lote stays ready to send"
	same "enviando" "$(lote_status "$mode" 10001234)" "$mode: the lote stays enviando"
	# A try that timed out before its request arrived left its mode.
	rm -f op/modes
	conf "$mode" timeout 120
	conf "$mode" connect_timeout 60
	expect_code 0 "$mode: the next run sends it" tiss-send -C "$mode"
	same "enviado" "$(lote_status "$mode" 10001234)" "$mode: then enviado"
	same "1" "$(received op 10001234)" "$mode: received exactly once"
done

# ---- a crash between the POST and the answer ------------------------------
reset_operator
check "workspace" ready_workspace crash
echo hang >op/modes
conf crash timeout 60
tiss-send -C crash --lote 1 -p 10001234 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do
	[ -s op/received.log ] && break
	sleep 0.1
done
kill -9 $pid
wait $pid 2>/dev/null
same "1" "$(received op 10001234)" "the operator got the lote before the kill"
same "enviando" "$(lote_status crash 10001234)" "the database says enviando, with the intent"
conf crash timeout 120
expect_code 0 "the rerun sends it again" tiss-send -C crash
has err "was being sent when a run stopped" "and says why"
same "1" "$(received op 10001234)" "the operator has it exactly once"
same "$(awk '$1 == "10001234" {print $4}' op/received.log)" \
	"$(sql crash "SELECT numeroProtocolo FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")" \
	"the database holds the operator's protocolo"
same "1" "$(awk '$1 == "/tissLoteGuias" {print $3}' op/requests.log | sort | uniq -d | wc -l | tr -d ' ')" \
	"the same bytes were sent both times"

# ---- TLS -------------------------------------------------------------------
reset_operator
check "workspace" ready_workspace tls
stop_operator
start_operator op2 --cert pki/other-server.pem --key pki/other-server.key --ca pki/ca.pem
conf tls endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias"
expect_code 69 "an operator whose certificate the CA file does not vouch for" tiss-send -C tls
has err "not sent" "is refused"
same "xml_gerado" "$(lote_status tls 10001234)" "nothing left: the lote is as before"
stop_operator
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
conf tls endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias"
cp pki/other-client.pem pki/other-client.key tls/secrets/
conf tls client_cert secrets/other-client.pem
conf tls client_key secrets/other-client.key
expect_code 69 "a client certificate the operator does not know" tiss-send -C tls
same "0" "$(received op 10001234)" "nothing received"
conf tls endpoint "http://127.0.0.1:$OP_PORT/tissLoteGuias"
expect_code 78 "a plain http:// endpoint" tiss-send -C tls
has err "TISS requires TLS" "is refused"

# Client certificate as PKCS#12 and as a PEM key with a password.
reset_operator
check "workspace" ready_workspace p12
cp pki/ca-client.p12 p12/secrets/
conf p12 client_cert secrets/ca-client.p12
sed -i '/^client_key = /d' p12/tiss.conf
conf p12 client_key_secret p12-senha
printf 'p12-secreta\n' | tiss-secret -q -C p12 set p12-senha
expect_code 0 "PKCS#12 client certificate with its password in a secret" tiss-send -C p12 --lote 1 -p 10001234
cp pki/ca-client-enc.key p12/secrets/
conf p12 client_cert secrets/ca-client.pem
conf p12 client_key secrets/ca-client-enc.key
cp pki/ca-client.pem p12/secrets/
printf 'chave-secreta\n' | tiss-secret -q -C p12 set p12-senha
expect_code 0 "encrypted PEM key with its password in a secret" tiss-send -C p12
same "enviado|enviado" "$(sql p12 "SELECT group_concat(status, '|') FROM lote")" "both sent"
check "no secret in any output" sh -c "! grep -r -e p12-secreta -e chave-secreta out err"

# ---- login and secrets ----------------------------------------------------
reset_operator
check "workspace" ready_workspace lg
conf lg login prestador1
printf 'senha-do-portal\n' | tiss-secret -q -C lg set senha
echo "prestador1 $(printf 'senha-do-portal' | md5sum | cut -d' ' -f1)" >op/login
chmod 644 lg/secrets/senha
expect_code 77 "a secret readable by others" tiss-send -C lg
has err "chmod 600" "says how to fix it"
check "the secret is not in the message" sh -c "! grep -q senha-do-portal err out"
chmod 600 lg/secrets/senha
chmod 644 lg/secrets/ca-client.key
expect_code 77 "a private key readable by others" tiss-send -C lg
chmod 600 lg/secrets/ca-client.key
expect_code 0 "loginSenhaPrestador sent with the password as MD5" tiss-send -C lg --lote 1 -p 10001234
printf 'outra\n' | tiss-secret -q -C lg set senha
expect_code 77 "a login the operator refuses" tiss-send -C lg
has err "LoginInvalido" "names the fault"
same "enviando" "$(lote_status lg 20005678)" "the lote stays ready to send"

# ---- several connections at once -----------------------------------------
reset_operator
tiss-init par >/dev/null
conf par registro_ans 123456
conf par schemas "$TISS_SHARED/4.03.00"
conf par tamanho_lote 1
"$TISS_BUILD/tools/gen-csv" 40 2 >par.csv
tiss-import -q -C par par.csv
tiss-validate -q -C par
tiss-lote -q -C par build >/dev/null
tiss-xml -q -C par >/dev/null
cp pki/ca-client.pem pki/ca-client.key par/secrets/
conf par endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias"
conf par ca_file "$PWD/pki/ca.pem"
conf par client_cert secrets/ca-client.pem
conf par client_key secrets/ca-client.key
conf par connections 3
n=$(sql par "SELECT count(*) FROM lote")
check "$n lotes to send" test "$n" -ge 10
expect_code 0 "three workers send them" tiss-send -C par
same "$n" "$(sql par "SELECT count(*) FROM lote WHERE status = 'enviado'")" "every lote enviado"
same "$n" "$(wc -l <op/received.log | tr -d ' ')" "each received once"
same "$n" "$(wc -l <out | tr -d ' ')" "one whole line each on stdout"
has err "$n of $n lotes sent" "the summary counts them all"

stop_operator
done_testing
