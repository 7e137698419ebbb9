#!/bin/sh
# Crash tests: each stage (tiss-import, tiss-lote build, tiss-xml,
# tiss-fetch, tiss-send) killed with SIGKILL at several instants of a
# workload big enough to be killed mid-work, then run again; the result
# must equal a clean run of the same input: the database (a canonical
# dump without ids and time stamps), the files by SHA-256, no leftover
# (temp file, orphan), and for send every lote received once.
#
# The instants are spread over the clean run's duration by a
# low-discrepancy sequence; the comparison must hold at any instant, so
# a kill that lands before the start or after the end only tests less.
# Bounded by default (3 kills a stage); CRASH_KILLS=200 spreads 200
# kills over the five stages and prints how many landed mid-work.
# CRASH_ROWS sets the CSV size (default 8000 procedures).
. "$TISS_SRC/tests/lib.sh"

ROWS=${CRASH_ROWS:-8000}
PER_STAGE=$(( ${CRASH_KILLS:-15} / 5 ))
[ "$PER_STAGE" -ge 1 ] || PER_STAGE=1
SCHEMAS=$TISS_SHARED/4.03.00
KILLS=0
MIDWORK=0
# The kill instants: n * golden ratio mod 1, offset per stage.
SEQ=0

now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# files WS [VOLATILE]: every file of the workspace but the database and
# the locks, with its SHA-256; files whose path matches the grep pattern
# VOLATILE (written with the time of day) by name only.
files() {
	(cd "$1" && find . -type f ! -name tiss.db ! -name '*.lock' | sort |
	while read -r _f; do
		if [ -n "${2:-}" ] && echo "$_f" | grep -q -- "$2"; then
			echo "$_f"
		else
			sha256sum "$_f"
		fi
	done)
}

# state WS [VOLATILE]: the database dump and the file list, in one text.
state() {
	db_dump "$1"
	files "$1" "${2:-}"
}

# instant DURATION_MS: the next kill delay in seconds, somewhere in
# [0, 1.2 * DURATION_MS); call as instant D; _at=$AT (not in $(...),
# which would lose the sequence's step).
instant() {
	SEQ=$((SEQ + 1))
	AT=$(awk -v n="$SEQ" -v d="$1" 'BEGIN {
		f = n * 0.6180339887; f -= int(f)
		printf "%.3f\n", f * 1.2 * d / 1000 }')
}

# kill_at DELAY COMMAND...: start COMMAND in a process group of its
# own, SIGKILL the whole group (the stage and any worker it forked, as
# a power cut or a stopped unit would) after DELAY seconds; counts the
# kill, and whether it landed before the end.  KILL_GROUP=0 kills the
# parent alone.
kill_at() {
	_d=$1
	shift
	setsid "$@" >kill.out 2>&1 &
	_pid=$!
	sleep "$_d"
	if [ "${KILL_GROUP:-1}" = 1 ]; then
		kill -9 "-$_pid" 2>/dev/null || kill -9 "$_pid" 2>/dev/null
	else
		kill -9 "$_pid" 2>/dev/null
	fi
	wait "$_pid" 2>/dev/null
	_rc=$?
	# A worker in the middle of an fsync dies when it returns: until the
	# whole group is gone it still holds the workspace's lock.
	if [ "${KILL_GROUP:-1}" = 1 ]; then
		for _ in $(seq 600); do
			kill -0 "-$_pid" 2>/dev/null || break
			sleep 0.05
		done
	fi
	KILLS=$((KILLS + 1))
	[ "$_rc" -ne 137 ] || MIDWORK=$((MIDWORK + 1))
	return 0
}

# crash STAGE TEMPLATE REF_STATE DURATION_MS [VOLATILE] -- COMMAND...:
# PER_STAGE times, copy TEMPLATE to w, kill COMMAND (run with "w" as its
# workspace, written W in COMMAND) at an instant, check the database,
# run COMMAND again to its end and compare with REF_STATE.  Calls
# $prepare W before each try and $verify W after, when set.
crash() {
	_stage=$1 _tpl=$2 _ref=$3 _dur=$4 _vol=$5
	shift 6
	_i=0
	while [ "$_i" -lt "$PER_STAGE" ]; do
		_i=$((_i + 1))
		rm -rf w && cp -a "$_tpl" w
		[ -z "${prepare:-}" ] || $prepare w
		instant "$_dur"; _at=$AT
		_m=$MIDWORK
		kill_at "$_at" "$@"
		[ "$MIDWORK" -gt "$_m" ] && _how=mid-work || _how="after the end"
		_ic=$(sqlite3 w/tiss.db "PRAGMA integrity_check" 2>&1)
		"$@" >rerun.out 2>&1
		_rc=$?
		state w "$_vol" >got.state
		if [ "$_ic" = ok ] && [ "$_rc" -eq 0 ] && cmp -s "$_ref" got.state; then
			pass "$_stage killed at ${_at}s ($_how): the rerun equals a clean run"
		else
			fail "$_stage killed at ${_at}s ($_how): integrity '$_ic', rerun exit $_rc, differences:"
			sed 's/^/# rerun: /' rerun.out | head -10
			diff "$_ref" got.state | head -20 | sed 's/^/# /'
			[ -z "${KEEP:-}" ] || cp -a w "w.$_stage.$_i"
		fi
		[ -z "${verify:-}" ] || $verify w "$_stage killed at ${_at}s ($_how)"
	done
}

# clean NAME TEMPLATE [VOLATILE] -- COMMAND...: run COMMAND on a copy
# of TEMPLATE (workspace "w") to its end; leaves the copy in NAME, its
# state in NAME.state and the time it took, in ms, in DUR.
clean() {
	c_name=$1 c_tpl=$2 c_vol=$3
	shift 4
	rm -rf w && cp -a "$c_tpl" w
	[ -z "${prepare:-}" ] || $prepare w
	c_t0=$(now_ms)
	expect_code 0 "$c_name: a clean run" "$@"
	DUR=$(( $(now_ms) - c_t0 ))
	state w "$c_vol" >"$c_name.state"
	rm -rf "$c_name" && mv w "$c_name"
}

check "certificates made" make_pki
"$TISS_BUILD/tools/gen-csv" "$ROWS" 8 7 >g.csv
tiss-init base >/dev/null
conf base registro_ans 123456
conf base schemas "$SCHEMAS"
export SOURCE_DATE_EPOCH=1772323200	# the XML files' names and bytes

# ---- import ------------------------------------------------------------
prepare= verify=
clean import base "" -- tiss-import -q -C w g.csv
echo "# import: $ROWS rows in ${DUR} ms"
crash import base import.state "$DUR" "" -- tiss-import -q -C w g.csv

# ---- lote build --------------------------------------------------------
cp -a import valid
{ tiss-validate -q -C valid; [ $? -le 65 ]; } || fail "validate the workload"
clean lote valid "" -- tiss-lote -q -C w build
echo "# lote build: $(sql lote 'SELECT count(*) FROM lote') lotes in ${DUR} ms"
crash "lote build" valid lote.state "$DUR" "" -- tiss-lote -q -C w build

# ---- xml ---------------------------------------------------------------
clean xml lote "" -- tiss-xml -q -C w
echo "# xml: ${DUR} ms"
crash xml lote xml.state "$DUR" "" -- tiss-xml -q -C w

# Without SOURCE_DATE_EPOCH a rerun writes other bytes under other names:
# the files of the killed run must not stay behind as orphans.
orphans() {
	sqlite3 "$1/tiss.db" "SELECT xmlArquivo FROM lote WHERE xmlArquivo IS NOT NULL
	    UNION SELECT soapArquivo FROM lote WHERE soapArquivo IS NOT NULL" |
		sed 's|.*/out/|out/|' | sort >referenced
	(cd "$1" && find out -type f | sort) >present
	comm -13 referenced present
}
unset SOURCE_DATE_EPOCH
_i=0 _left=0
while [ "$_i" -lt "$PER_STAGE" ]; do
	_i=$((_i + 1))
	rm -rf w && cp -a lote w
	instant "$DUR"; kill_at "$AT" tiss-xml -q -C w
	tiss-xml -q -C w >/dev/null 2>&1
	_left=$((_left + $(orphans w | wc -l)))
done
if [ "$(sqlite3 xml/tiss.db "SELECT xmlArquivo FROM lote LIMIT 1" | sed 's|.*/out/|out/|' | cut -c1-4)" != out/ ]; then
	fail "xml: cannot tell the referenced files (xmlArquivo is not under out/)"
elif [ "$_left" -eq 0 ]; then
	pass "xml killed without SOURCE_DATE_EPOCH: no orphan file left"
else
	fail "xml killed without SOURCE_DATE_EPOCH: $_left orphan files left (issue 13 item 11)"
fi
export SOURCE_DATE_EPOCH=1772323200

# The parent alone killed (what the OOM killer picks): its workers die
# with it (PR_SET_PDEATHSIG).  A rerun right away must exit 0 or 75
# (busy), not fail, and once they are gone a rerun must equal a clean run.
rm -rf w && cp -a lote w
KILL_GROUP=0 kill_at "$(awk -v d="$DUR" 'BEGIN { printf "%.3f", d * 0.4 / 1000 }')" tiss-xml -q -C w
tiss-xml -q -C w >rerun.out 2>&1
_rc1=$?
for _ in $(seq 1200); do
	kill -0 "-$_pid" 2>/dev/null || break
	sleep 0.1
done
tiss-xml -q -C w >>rerun.out 2>&1
_rc2=$?
state w >got.state
if { [ "$_rc1" -eq 0 ] || [ "$_rc1" -eq 75 ]; } && [ "$_rc2" -eq 0 ] &&
    cmp -s xml.state got.state; then
	pass "xml parent killed, workers left: a rerun exits $_rc1, then equals a clean run"
else
	fail "xml parent killed, workers left: rerun exits $_rc1 then $_rc2 (issue 13 item 11)"
	sed 's/^/# rerun: /' rerun.out | head -4
	diff xml.state got.state | head -4 | sed 's/^/# /'
fi

# ---- fetch -------------------------------------------------------------
NS=urn:tiss:eautorizador:v1
# page N PAGES TOTAL FIRST COUNT: COUNT concluded authorizations from
# number FIRST, complete but for the TUSS description.
page() {
	awk -v ns="$NS" -v n="$1" -v pages="$2" -v total="$3" -v first="$4" -v count="$5" 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		printf "<autorizacoes xmlns=\"%s\" versao=\"1\" prestador=\"10001234\" de=\"2026-03-01\" ate=\"2026-03-31\" tipo=\"odonto\" pagina=\"%d\" paginas=\"%d\" total=\"%d\">\n", ns, n, pages, total
		for (i = first; i < first + count; i++)
			printf "<autorizacao><numeroGuiaOperadora>A-%d</numeroGuiaOperadora><numeroGuiaPrestador>G-%d</numeroGuiaPrestador><situacao>concluida</situacao><senhaAutorizacao>S%d</senhaAutorizacao><dataAutorizacao>2026-03-02</dataAutorizacao><validadeSenha>2026-04-30</validadeSenha><dataSolicitacao>2026-03-01</dataSolicitacao><numeroCarteira>00123456789%05d</numeroCarteira><atendimentoRN>N</atendimentoRN><nomeBeneficiario>Maria José Conceição</nomeBeneficiario><planoBeneficiario>ODONTO PLUS</planoBeneficiario><codigoProfExec>4455</codigoProfExec><nomeProfExec>Dr. João</nomeProfExec><croExec>12345</croExec><ufExec>SP</ufExec><cnesExec>1234567</cnesExec><cbosExec2>223208</cbosExec2><tipoAtendimento>1</tipoAtendimento><tipoFaturamento>4</tipoFaturamento><procedimento><sequencialItem>1</sequencialItem><codigoTabela>22</codigoTabela><codigoProcedimento>81000065</codigoProcedimento><descricaoProcedimento>Consulta odontológica inicial</descricaoProcedimento><qtdProc>1</qtdProc><valorProc>120.00</valorProc><autorizado>S</autorizado><dataRealizacao>2026-03-05</dataRealizacao></procedimento>%s</autorizacao>\n", i, i, i, i, (i % 3 ? "<procedimento><sequencialItem>2</sequencialItem><codigoTabela>22</codigoTabela><codigoProcedimento>85100196</codigoProcedimento><descricaoProcedimento>Restauração</descricaoProcedimento><codDente>36</codDente><denteFace>O</denteFace><qtdProc>1</qtdProc><valorProc>210.50</valorProc><autorizado>S</autorizado><dataRealizacao>2026-03-06</dataRealizacao></procedimento>" : "")
		print "</autorizacoes>"
	}'
}
AUTHS=$((ROWS / 8))
PER_PAGE=$(( (AUTHS + 3) / 4 ))
mkdir ea
for n in 1 2 3 4; do
	page $n 4 $AUTHS $(( (n - 1) * PER_PAGE + 1 )) \
		$(( n < 4 ? PER_PAGE : AUTHS - 3 * PER_PAGE )) >ea/page-$n.xml
done
check "the generated pages are valid against the contract" \
	xmllint --noout --schema "$TISS_SRC/xsd/eautorizador-v1.xsd" ea/page-1.xml ea/page-4.xml
start_eautorizador ea --cert pki/ca-server.pem --key pki/ca-server.key
EA=$EA_PID
tiss-init fbase >/dev/null
conf fbase registro_ans 123456
printf '\n[eautorizador]\nurl = https://127.0.0.1:%s/autorizacoes\nca_file = %s\nprestador = 10001234\ntimeout = 120\nretries = 1\nretry_delay = 0\n' \
	"$EA_PORT" "$PWD/pki/ca.pem" >>fbase/tiss.conf
echo "10001234:segredo-ea" >ea/credentials
printf 'segredo-ea\n' | tiss-secret -q -C fbase set eautorizador
FETCH="tiss-fetch -q -C w --de 2026-03-01 --ate 2026-03-31"
clean fetch fbase "" -- $FETCH
echo "# fetch: $AUTHS authorizations in ${DUR} ms"
same "$AUTHS" "$(sql fetch "SELECT count(*) FROM guia WHERE status = 'completo'")" \
	"fetch: the clean run loads and validates every guide"
# A kill after the load's commit must not leave guides a rerun does not
# validate (issue 13 item 5).
_i=0 _bad=0
while [ "$_i" -lt "$PER_STAGE" ]; do
	_i=$((_i + 1))
	rm -rf w && cp -a fbase w
	instant "$DUR"; _at=$AT
	kill_at "$_at" $FETCH
	$FETCH >rerun.out 2>&1
	_rc=$?
	state w >got.state
	if [ "$_rc" -eq 0 ] && cmp -s fetch.state got.state; then
		pass "fetch killed at ${_at}s: the rerun equals a clean run"
	else
		fail "fetch killed at ${_at}s: rerun exit $_rc, differs from a clean run (issue 13 item 5)"
		diff fetch.state got.state | head -4 | sed 's/^/# /'
	fi
done
kill "$EA" 2>/dev/null
wait "$EA" 2>/dev/null

# ---- send --------------------------------------------------------------
# Each try sends to a fresh fake operator (its state in op.N), so every
# lote must be received exactly once per try.
# A smaller workload: each lote costs the fake operator a TLS handshake.
"$TISS_BUILD/tools/gen-csv" $((ROWS / 8)) 4 9 >s.csv
tiss-init sbase >/dev/null
conf sbase registro_ans 123456
conf sbase schemas "$SCHEMAS"
tiss-import -q -C sbase s.csv
{ tiss-validate -q -C sbase; [ $? -le 65 ]; } || fail "validate the send workload"
tiss-lote -q -C sbase build >/dev/null
tiss-xml -q -C sbase >/dev/null || fail "xml of the send workload"
cp pki/ca-client.pem pki/ca-client.key sbase/secrets/
conf sbase ca_file "$PWD/pki/ca.pem"
conf sbase client_cert secrets/ca-client.pem
conf sbase client_key secrets/ca-client.key
conf sbase connect_timeout 60
conf sbase timeout 120
conf sbase retries 1
conf sbase retry_delay 0
# once WS NAME: every lote of WS received once, its protocolo recorded.
once() {
	received_once op.$OPN "$1" "$2" all
}
prepare=fresh_operator verify=once
# The protocolo answers carry the operator's time of day, tiss.conf the
# port of each fresh operator: by name only.
clean send sbase 'protocolo\|tiss\.conf' -- tiss-send -q -C w
once send "send: the clean run"
echo "# send: $(sql send 'SELECT count(*) FROM lote') lotes in ${DUR} ms"
crash send sbase send.state "$DUR" 'protocolo\|tiss\.conf' -- tiss-send -q -C w
stop_operator

echo "# $KILLS kills, $MIDWORK of them mid-work"
done_testing
