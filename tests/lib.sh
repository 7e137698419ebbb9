# Shared helpers of the shell tests: TAP output and a scratch directory.
# A test script sources this, calls the helpers, and ends with done_testing.
# Output goes to files, never through pipes, so exit codes are kept.

set -u
# English messages whatever the caller's locale; a test that wants
# Portuguese sets LANG=pt_BR.UTF-8 on its command.
unset LANGUAGE LC_ALL LC_MESSAGES LC_CTYPE
LANG=C
export LANG
T_COUNT=0
T_FAIL=0
SAMPLES=$TISS_SRC/samples
FIXTURES=$TISS_SRC/tests/fixtures
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tiss-test.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T_DIR"' EXIT
# The helpers shared with the demo (await, conf, the fake servers).
. "$TISS_SRC/tests/operator.sh"
cd "$T_DIR" || exit 1

pass() {
	T_COUNT=$((T_COUNT + 1))
	echo "ok $T_COUNT - $1"
}

fail() {
	T_COUNT=$((T_COUNT + 1))
	T_FAIL=$((T_FAIL + 1))
	echo "not ok $T_COUNT - $1"
}

# check NAME COMMAND...: passes when COMMAND exits 0.
check() {
	_name=$1
	shift
	if "$@" >check.out 2>&1; then
		pass "$_name"
	else
		fail "$_name"
		sed 's/^/# /' check.out
	fi
}

# expect_code CODE NAME COMMAND...: runs COMMAND with stdout in `out` and
# stderr in `err`, passes when it exits CODE.
expect_code() {
	_want=$1
	_name=$2
	shift 2
	"$@" >out 2>err
	_got=$?
	if [ "$_got" -eq "$_want" ]; then
		pass "$_name"
	else
		fail "$_name: exit $_got, want $_want"
		sed 's/^/# err: /' err | head -20
	fi
}

# has FILE TEXT NAME: passes when FILE contains the fixed string TEXT.
has() {
	if grep -F -q -- "$2" "$1"; then
		pass "$3"
	else
		fail "$3: '$2' not in $1"
		sed 's/^/# /' "$1" | head -20
	fi
}

# same WANT GOT NAME: passes when two strings are equal.
same() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3: got '$2', want '$1'"
	fi
}

# sql WS QUERY: print the result of a query on a workspace's database,
# waiting up to a minute for a lock (a stage killed with its group may
# still be rolling back or checkpointing as it exits).
sql() {
	sqlite3 -cmd ".timeout 60000" "$1/tiss.db" "$2"
}

# wait_for PATH: poll until PATH exists, with a generous deadline (5
# minutes: a busy machine is slow); false when it never came.
wait_for() {
	await 300 test -e "$1"
}

# lotes_workspace WS [VERSAO]: a workspace with the samples imported,
# validated, completed and built into two lotes (1 of 10001234, 1 of
# 20005678), no XML yet; the operator's registro_ans 123456, TISS VERSAO
# (default 4.03.00) with its official schemas.
lotes_workspace() {
	tiss-init "$1" >/dev/null &&
	conf "$1" registro_ans 123456 &&
	conf "$1" versao_tiss "${2:-4.03.00}" &&
	conf "$1" schemas "$TISS_SHARED/${2:-4.03.00}" &&
	tiss-import -q -C "$1" "$SAMPLES/guias-manuais.csv" "$SAMPLES/guias-clinica-cp1252.csv" &&
	{ tiss-validate -q -C "$1"; [ $? -le 65 ]; } &&
	# 65: in 3.05.00 the guide still lacks the names it requires.
	{ tiss-guia -q -C "$1" set GTO-2026-0003 croExec=12345 \
	    cbosExec2=223208 >/dev/null; [ $? -le 65 ]; } &&
	tiss-lote -q -C "$1" build >/dev/null
}

# tiss_hash FILE: the hash of a TISS message by an independent
# computation (XSLT, iconv, md5sum).
tiss_hash() {
	xsltproc "$TISS_SRC/tests/tools/tiss-hash.xsl" "$1" >leaves.txt &&
	iconv -f UTF-8 -t ISO-8859-1 leaves.txt >leaves.latin1 &&
	md5sum <leaves.latin1 | cut -d' ' -f1
}

# db_dump WS [SKIP]: the database of workspace WS as text, in a
# canonical order, after its integrity_check: without ids, time stamps
# (columns ending in "Em", inicio, fim) and what the operator numbers in
# its own order (protocolo numbers and files); SKIP, more columns to
# leave out as an SQL list ('origemArquivo').  For comparing a run with
# a clean one (t1900, t1910).
db_dump() {
	_db=$1/tiss.db
	_skip=${2:+, $2}
	_cols() {
		sqlite3 "$_db" "SELECT group_concat('$2.' || name, ', ')
		    FROM pragma_table_info('$1') WHERE name NOT GLOB '*Em'
		    AND name NOT IN ('id', 'guia_id', 'lote_id', 'importacao_id',
		    'inicio', 'fim', 'numeroProtocolo', 'protocoloArquivo',
		    'dataEnvioLote', 'revisao'$_skip)"
	}
	_lk="(SELECT l.codigoPrestadorNaOperadora || '/' || l.numeroLote FROM lote l WHERE l.id"
	sqlite3 "$_db" "PRAGMA integrity_check;
	    SELECT 'guia', $(_cols guia g), $_lk = g.lote_id) FROM guia g
	    ORDER BY g.codigoPrestadorNaOperadora, g.numeroGuiaPrestador;
	    SELECT 'proc', g.codigoPrestadorNaOperadora, g.numeroGuiaPrestador,
	    $(_cols procedimento p) FROM procedimento p JOIN guia g ON g.id = p.guia_id
	    ORDER BY 2, 3, p.item;
	    SELECT 'pend', g.codigoPrestadorNaOperadora, g.numeroGuiaPrestador,
	    $(_cols pendencia p) FROM pendencia p JOIN guia g ON g.id = p.guia_id
	    ORDER BY 2, 3, p.n;
	    SELECT 'lote', $(_cols lote l) FROM lote l ORDER BY 2, 3;
	    SELECT 'numero', * FROM lote_numero ORDER BY 2;
	    SELECT 'import', $(_cols importacao i) FROM importacao i ORDER BY 3, 4;
	    SELECT 'pguia', $_lk = p.lote_id), $(_cols protocolo_guia p)
	    FROM protocolo_guia p ORDER BY 2, 3;"
}

# csv FILE: write stdin to FILE with the full GTO header of the samples.
HEADER='codigoPrestadorNaOperadora;numeroGuiaPrestador;numeroCarteira;atendimentoRN;planoBeneficiario;codigoProfExec;croExec;ufExec;cnesExec;cbosExec2;tipoAtendimento;tipoFaturamento;sequencialItem;codigoTabela;codigoProcedimento;codDente;denteFace;qtdProc;valorProc;autorizado;dataRealizacao'
csv() {
	{ echo "$HEADER"; cat; } >"$1"
}

# gate_bureau: $T_DIR/gated/tiss-run, which while the file $T_DIR/gate
# exists starts no workspace once its bureau shard has finished one
# (tiss-bureau exports the shard's job log as TISS_JOBLOG), so a kill
# lands mid-run whatever the load.  Makes the gate; the caller puts
# $T_DIR/gated first in PATH and removes $T_DIR/gate to let it go on,
# or writes "drop" into it to end the runs waiting there: GNU parallel
# gives each job its own process group, so a job waiting at the gate
# outlives a kill of the bureau's group and would run its workspace
# beside the rerun.
gate_bureau() {
	mkdir -p "$T_DIR/gated"
	cat >"$T_DIR/gated/tiss-run" <<SH
#!/bin/sh
if [ -e "$T_DIR/gate" ] && [ -n "\${TISS_JOBLOG:-}" ] && [ -s "\$TISS_JOBLOG" ]; then
	i=0
	while [ -e "$T_DIR/gate" ] && [ \$i -lt 6000 ]; do
		[ "\$(cat "$T_DIR/gate" 2>/dev/null)" != drop ] || exit 75
		sleep 0.1
		i=\$((i + 1))
	done
fi
exec "$TISS_SRC/scripts/tiss-run" "\$@"
SH
	chmod +x "$T_DIR/gated/tiss-run"
	: >"$T_DIR/gate"
}

done_testing() {
	echo "1..$T_COUNT"
	[ "$T_FAIL" -eq 0 ]
	exit $?
}
