# Helpers for the tests that talk to the fake operator
# (tests/tools/fake-operator.py): certificates made at test time, the
# server started on 127.0.0.1, and a workspace with lotes ready to send.
# Shared with the demo (scripts/demo, installed with it), which has no
# tests/lib.sh: what both need lives here; lib.sh sources this file.

# await SECONDS COMMAND...: poll COMMAND every 0.1 s until it succeeds;
# fails when SECONDS of wall time have passed first.  Give a generous
# deadline: the suite must pass on a busy machine, where what takes
# 0.1 s idle can take many seconds.  A condition, never a sleep.
await() {
	_await_end=$(( $(date +%s) + $1 ))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$_await_end" ] || return 1
		sleep 0.1
	done
}

# conf WS KEY VALUE: set [operadora] KEY in WS/tiss.conf.
conf() {
	sed -i "/^#\{0,1\}$2 *=/d" "$1/tiss.conf"
	sed -i "s|^\[operadora\]\$|[operadora]\n$2 = $3|" "$1/tiss.conf"
}

# after_endpoints WS: WS's endpoints of the cycle after the send (the
# demonstrativo, the recurso and its status) at the fake operator.
after_endpoints() {
	conf "$1" demonstrativo_endpoint "https://127.0.0.1:$OP_PORT/tissSolicitacaoDemonstrativoRetorno"
	conf "$1" recurso_endpoint "https://127.0.0.1:$OP_PORT/tissRecursoGlosa"
	conf "$1" recurso_status_endpoint "https://127.0.0.1:$OP_PORT/tissSolicitacaoStatusRecursoGlosa"
}

# make_pki: in pki/, a CA with a server certificate for 127.0.0.1 and a
# client certificate (PEM key, encrypted PEM key, PKCS#12), and a second
# CA, "other", with its own server and client certificates.
make_pki() {
	mkdir -p pki
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >pki/server.ext
	printf 'extendedKeyUsage=clientAuth\n' >pki/client.ext
	for ca in ca other; do
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-nodes -keyout pki/$ca.key -out pki/$ca.pem -days 2 \
			-subj "/CN=tiss test $ca" 2>/dev/null || return 1
		for who in server client; do
			openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
				-nodes -keyout pki/$ca-$who.key -out pki/$ca-$who.csr \
				-subj "/CN=$who" 2>/dev/null &&
			openssl x509 -req -in pki/$ca-$who.csr -CA pki/$ca.pem \
				-CAkey pki/$ca.key -CAcreateserial -days 2 \
				-extfile pki/$who.ext -out pki/$ca-$who.pem 2>/dev/null ||
				return 1
		done
	done
	openssl pkey -in pki/ca-client.key -aes256 -passout pass:chave-secreta \
		-out pki/ca-client-enc.key 2>/dev/null &&
	openssl pkcs12 -export -in pki/ca-client.pem -inkey pki/ca-client.key \
		-passout pass:p12-secreta -out pki/ca-client.p12 2>/dev/null &&
	chmod 600 pki/*.key pki/*.p12
}

# _started STATE PID: the server has written its port, or has died
# (which ends the wait too).
_started() {
	[ -s "$1/port" ] || ! kill -0 "$2" 2>/dev/null
}

# start_operator STATE [ARGS...]: start the fake operator with its state
# in STATE and the server certificate of the first CA, speaking TISS
# $OP_VERSAO (default 4.03.00, the version in force); sets OP_PORT and
# OP_PID.
start_operator() {
	_state=$1
	shift
	mkdir -p "$_state"
	rm -f "$_state/port"
	python3 "$TISS_SRC/tests/tools/fake-operator.py" "$_state" \
		--schemas "$TISS_SHARED/${OP_VERSAO:-4.03.00}" \
		--versao "${OP_VERSAO:-4.03.00}" "$@" 2>"$_state/stderr" &
	OP_PID=$!
	# Python's start-up takes seconds on a busy machine: a generous
	# deadline, cut short when the server has died.
	await 300 _started "$_state" "$OP_PID"
	OP_PORT=$(cat "$_state/port" 2>/dev/null)
	[ -n "$OP_PORT" ] || { cat "$_state/stderr" >&2; return 1; }
}

# start_eautorizador STATE [ARGS...]: the same for the fake e-Autorizador
# (tests/tools/fake-eautorizador.py); sets EA_PORT and EA_PID.
start_eautorizador() {
	_state=$1
	shift
	mkdir -p "$_state"
	rm -f "$_state/port"
	python3 "$TISS_SRC/tests/tools/fake-eautorizador.py" "$_state" "$@" 2>"$_state/stderr" &
	EA_PID=$!
	await 300 _started "$_state" "$EA_PID"
	EA_PORT=$(cat "$_state/port" 2>/dev/null)
	[ -n "$EA_PORT" ] || { cat "$_state/stderr" >&2; return 1; }
}

stop_operator() {
	kill "$OP_PID" 2>/dev/null || true
	wait "$OP_PID" 2>/dev/null || true
}

# fresh_operator WS: a new fake operator (state op.N, N counting from 1,
# certificates of make_pki, no schema check) with WS's endpoint and
# status_endpoint pointing at it; the one started before is stopped.
OPN=0
fresh_operator() {
	[ -z "${OP_PID:-}" ] || stop_operator
	OPN=$((OPN + 1))
	start_operator op.$OPN --cert pki/ca-server.pem --key pki/ca-server.key \
		--ca pki/ca.pem --no-schema || fail "fake operator started"
	conf "$1" endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias"
	conf "$1" status_endpoint "https://127.0.0.1:$OP_PORT/tissSolicitacaoStatusProtocolo"
}

# received_once STATE WS NAME [ALL]: the operator (its state in STATE)
# received each lote of WS once and no guide in two lotes, and the DB
# holds the operator's protocolo of each lote it sent; with ALL set,
# every lote of WS was sent.
received_once() {
	_dup=$(awk '{print $1, $2}' "$1/received.log" 2>/dev/null | sort | uniq -d | wc -l)
	_pairs=$(sql "$2" "SELECT codigoPrestadorNaOperadora || ' ' || numeroLote
	    || ' ' || numeroProtocolo FROM lote WHERE status = 'enviado' ORDER BY 1")
	_log=$(awk '{print $1, $2, $4}' "$1/received.log" 2>/dev/null | sort)
	_unsent=0
	[ -z "${4:-}" ] ||
	    _unsent=$(sql "$2" "SELECT count(*) FROM lote WHERE status <> 'enviado'")
	_twice=$(cat "$1"/lotes/*.json 2>/dev/null | python3 -c '
import json, sys
seen = {}
for line in sys.stdin.read().replace("}{", "}\n{").splitlines():
    for g in json.loads(line)["guias"]:
        seen[g[0]] = seen.get(g[0], 0) + 1
print(sum(1 for v in seen.values() if v > 1))')
	if [ "$_dup" -eq 0 ] && [ "$_twice" -eq 0 ] && [ "$_unsent" -eq 0 ] &&
	    [ "$_pairs" = "$_log" ]; then
		pass "$3: each lote received once, its protocolo recorded"
	else
		fail "$3: $_dup lotes received twice, $_twice guides twice, $_unsent not sent, DB and log agree: $([ "$_pairs" = "$_log" ] && echo yes || echo no)"
	fi
}

# ready_workspace WS: the samples imported, validated, completed and
# turned into two lotes with their XML (1 of 10001234, 1 of 20005678),
# the operator profile pointing at the fake operator on OP_PORT with the
# client certificate of the first CA, in the operator's TISS version
# ($OP_VERSAO, default 4.03.00).  Generous timeouts: they end no
# sooner than the server answers, and a busy machine answers late; a
# test that wants a time-out sets a short one itself.
ready_workspace() {
	lotes_workspace "$1" "${OP_VERSAO:-4.03.00}" &&
	tiss-xml -q -C "$1" >/dev/null &&
	cp pki/ca-client.pem pki/ca-client.key "$1/secrets/" &&
	conf "$1" endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias" &&
	conf "$1" status_endpoint "https://127.0.0.1:$OP_PORT/tissSolicitacaoStatusProtocolo" &&
	conf "$1" ca_file "$PWD/pki/ca.pem" &&
	conf "$1" client_cert secrets/ca-client.pem &&
	conf "$1" client_key secrets/ca-client.key &&
	conf "$1" connect_timeout 60 &&
	conf "$1" timeout 120 &&
	conf "$1" retries 1 &&
	conf "$1" retry_delay 0
}

# bureau_ws DIR PRESTADOR PROCEDURES: a workspace sending to the fake
# operator, lotes of 5, with generated guides of PRESTADOR in its hot
# folder.
bureau_ws() {
	tiss-init "$1" >/dev/null
	conf "$1" registro_ans 123456
	conf "$1" schemas "$TISS_SHARED/4.03.00"
	conf "$1" tamanho_lote 5
	cp pki/ca-client.pem pki/ca-client.key "$1/secrets/"
	conf "$1" endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias"
	conf "$1" ca_file "$PWD/pki/ca.pem"
	conf "$1" client_cert secrets/ca-client.pem
	conf "$1" client_key secrets/ca-client.key
	"$TISS_BUILD/tools/gen-csv" "$3" 1 | sed "s/^10000000;/$2;/" >"$1/inbox/g.csv"
	touch -d '1 minute ago' "$1/inbox/g.csv"
}

# lote_status WS PRESTADOR: the status of lote 1 of PRESTADOR.
lote_status() {
	sql "$1" "SELECT status FROM lote WHERE codigoPrestadorNaOperadora = '$2' AND numeroLote = 1"
}

# received STATE PRESTADOR: how many times the operator received lote 1.
received() {
	if [ -f "$1/received.log" ]; then
		grep -c "^$2 1 " "$1/received.log"
	else
		echo 0
	fi
}
