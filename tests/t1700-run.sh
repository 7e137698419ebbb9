#!/bin/sh
# tiss-run and tiss-watch: the whole job on a workspace against the fake
# operator, silent on success, run reports, the lock, --dry-run, a stop
# on a configuration error; the hot folder by polling and by inotify;
# the systemd units checked with systemd-analyze verify (t1750 has
# more on them).
. "$TISS_SRC/tests/lib.sh"
PATH=$TISS_SRC/scripts:$PATH

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem

tiss-init ws >/dev/null
conf ws registro_ans 123456
conf ws schemas "$TISS_SHARED/4.03.00"
cp pki/ca-client.pem pki/ca-client.key ws/secrets/
conf ws endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias"
conf ws status_endpoint "https://127.0.0.1:$OP_PORT/tissSolicitacaoStatusProtocolo"
conf ws ca_file "$PWD/pki/ca.pem"
conf ws client_cert secrets/ca-client.pem
conf ws client_key secrets/ca-client.key
conf ws retry_delay 0
# drop FILE: put a sample into the hot folder, old enough to be taken.
drop() {
	cp "$1" ws/inbox/
	touch -d '1 minute ago' "ws/inbox/$(basename "$1")"
}
drop "$SAMPLES/guias-manuais.csv"
drop "$SAMPLES/guias-clinica-cp1252.csv"

expect_code 65 "a run with an incomplete guide ends 65" tiss-run -C ws
has out "validate  exit 65" "the report names the stage"
has out "send      exit 0" "and goes on past it"
same "enviado|enviado" "$(sql ws "SELECT group_concat(status, '|') FROM lote")" "the complete guides were sent"
same "2" "$(ls ws/inbox/done | wc -l | tr -d ' ')" "the inbox was imported"
json=$(ls ws/reports/run-*.json | tail -n 1)
check "the run report is JSON" python3 -c "import json, sys; d = json.load(open(sys.argv[1])); assert d['exit'] == 65 and d['counts']['lotes_enviado'] == 2" "$json"
check "a text report beside it" test -s "${json%.json}.txt"
check "acompanhamento in HTML" sh -c "ls ws/reports/acompanhamento-*.html | grep -q ."

tiss-guia -q -C ws set GTO-2026-0003 croExec=12345 cbosExec2=223208 >/dev/null
expect_code 0 "after the clerk's fix the run succeeds" tiss-run -C ws
same "" "$(cat out err)" "and is silent"
same "3" "$(sql ws "SELECT count(*) FROM lote WHERE status = 'enviado'")" "the fixed guide went in a new lote"

# The lock held until the file release appears (10 minutes at most).
rm -f locked release
flock ws/run.lock sh -c ': >locked; i=0; while [ ! -e release ] && [ $i -lt 6000 ]; do sleep 0.1; i=$((i + 1)); done' &
lpid=$!
await 300 test -e locked
expect_code 75 "a second run at the same time exits 75" tiss-run -C ws
has err "another run" "at once, saying why"
: >release
wait $lpid

tiss-guia -q -C ws new codigoPrestadorNaOperadora=10001234 numeroGuiaPrestador=N-1 numeroCarteira=1 atendimentoRN=N \
	planoBeneficiario=P codigoProfExec=1 croExec=1 ufExec=SP cnesExec=1234567 cbosExec2=223208 \
	tipoAtendimento=1 tipoFaturamento=4 sequencialItem=1 codigoTabela=22 codigoProcedimento=81000065 \
	descricaoProcedimento=Consulta qtdProc=1 valorProc=10 autorizado=S dataRealizacao=02/03/2026 >/dev/null
before=$(wc -l <op/requests.log)
expect_code 0 "--dry-run" tiss-run -C ws --dry-run
same "$before" "$(wc -l <op/requests.log)" "sends nothing"
same "completo|" "$(sql ws "SELECT status || '|' || ifnull(lote_id, '') FROM guia WHERE numeroGuiaPrestador = 'N-1'")" "and changes nothing: the guide is in no lote"
has out "would build lote 3 of 10001234" "says the lote it would build"

conf ws endpoint "http://127.0.0.1:$OP_PORT/tissLoteGuias"
expect_code 78 "a configuration error stops the run" tiss-run -C ws
has out "exit 78" "at the first stage that reads the profile"
has out "send      skipped" "the stages after it do not run"
conf ws endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias"
expect_code 0 "fixed, the next run sends" tiss-run -C ws
same "enviado" "$(sql ws "SELECT status FROM lote WHERE numeroLote = 3 AND codigoPrestadorNaOperadora = '10001234'")" "the lote"
expect_code 78 "not a workspace" tiss-run -C nowhere

# sent W: whether guide W went all the way.
sent() {
	[ "$(sql ws "SELECT status FROM guia WHERE numeroGuiaPrestador = '$1'")" = enviada ]
}
# watching: tiss-watch's inotifywait has its watch on the inbox (a file
# moved in before that is seen only at the next event).
watching() {
	for _p in $(pgrep -g "$wpid" -x inotifywait); do
		grep -qs '^inotify wd:' /proc/"$_p"/fdinfo/* && return 0
	done
	return 1
}

# The hot folder, polling.
cat >new1.csv <<CSV
$HEADER;descricaoProcedimento
10001234;W-1;1;N;P;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;10;S;03/03/2026;Consulta
CSV
# In its own process group, so that it and its tiss-run go at once.
setsid tiss-watch -C ws --poll 1 >watch.out 2>&1 &
wpid=$!
cp new1.csv ws/inbox/
await 300 sent W-1
kill -- -$wpid
wait $wpid 2>/dev/null
same "enviada" "$(sql ws "SELECT status FROM guia WHERE numeroGuiaPrestador = 'W-1'")" "tiss-watch --poll: a dropped file goes all the way"

# The hot folder, with inotify.
if command -v inotifywait >/dev/null; then
	sed 's/W-1/W-2/' new1.csv >new2.csv
	setsid tiss-watch -C ws >watch.out 2>&1 &
	wpid=$!
	check "tiss-watch watches the inbox" await 300 watching
	cp new2.csv ws/inbox/.new2.csv.part && mv ws/inbox/.new2.csv.part ws/inbox/new2.csv
	await 300 sent W-2
	kill -- -$wpid
	wait $wpid 2>/dev/null
	same "enviada" "$(sql ws "SELECT status FROM guia WHERE numeroGuiaPrestador = 'W-2'")" "tiss-watch (inotify): a file moved in goes all the way"
else
	fail "inotifywait is missing (inotify-tools)"
fi

# The systemd units, with the real script in ExecStart.
mkdir units
for f in "$TISS_SRC"/scripts/systemd/*; do
	sed "s|@BINDIR@|$TISS_SRC/scripts|" "$f" >"units/$(basename "$f")"
done
check "systemd-analyze verify accepts the service, timer and path units" \
	systemd-analyze verify --man=no units/tiss-run@.service units/tiss-run@.timer \
	units/tiss-inbox@.path units/tiss-inbox@.service units/tiss-alert@.service
has units/tiss-run@.timer "Persistent=true" "the timer makes up missed nights"
has units/tiss-run@.timer "RandomizedDelaySec=" "and spreads the load"
sed 's/^OnCalendar=.*/OnCalendar=someday/' units/tiss-run@.timer >units/bad@.timer
expect_code 1 "and refuses a broken one" systemd-analyze verify --man=no units/bad@.timer

stop_operator
done_testing
