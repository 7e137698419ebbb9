#!/bin/sh
# '-' as standard input or output wherever a program reads or writes a
# file the user names (common/ifile, common/ofile): the same data piped
# through each program gives the same database and the same bytes as the
# file form; '-' read twice, '-' with --inbox, a closed standard input
# or output are clear errors; nothing named '-' is ever made or moved,
# and no temp copy of standard input is left behind.
. "$TISS_SRC/tests/lib.sh"
PATH=$TISS_SRC/scripts:$PATH
SOURCE_DATE_EPOCH=1775037600	# the same XML, byte for byte, on both sides
TZ=UTC
mkdir tmp
TMPDIR=$PWD/tmp		# where a copy of standard input would be left
export PATH SOURCE_DATE_EPOCH TZ TMPDIR

# piped FILE CMD...: CMD with FILE through a pipe on its standard input.
piped() {
	_f=$1
	shift
	cat -- "$_f" | "$@"
}
# state WS NAME...: WS's database as SQL, time stamps and the file NAMEs
# the file form recorded made alike, to compare with the form that read
# '-' (recorded as "(entrada padrão)").
state() {
	_ws=$1
	shift
	sqlite3 "$_ws/tiss.db" .dump |
		sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/T/g' >state.tmp
	for _n; do
		sed -i "s|$_n|(entrada padrão)|g" state.tmp
	done
	cat state.tmp
}
# alike WHAT A B NAME...: workspaces A and B hold the same data.
alike() {
	_what=$1
	_a=$2
	_b=$3
	shift 3
	state "$_a" "$@" >"$_a.sql"
	state "$_b" "$@" >"$_b.sql"
	if cmp -s "$_a.sql" "$_b.sql"; then
		pass "$_what"
	else
		fail "$_what"
		diff "$_a.sql" "$_b.sql" | head -20 | sed 's/^/# /'
	fi
}

# same_as WHAT FILE NAME...: FILE (the file form's output, with each file
# NAME it shows as standard input's name) and `out` have the same bytes.
same_as() {
	_what=$1
	_f=$2
	shift 2
	cp "$_f" same.tmp
	for _n; do
		sed -i "s|$_n|(entrada padrão)|g" same.tmp
	done
	if cmp -s same.tmp out; then
		pass "$_what"
	else
		fail "$_what"
		diff same.tmp out | head -10 | sed 's/^/# /'
	fi
}

# ---- tiss-import ------------------------------------------------------------
tiss-init wa >/dev/null
tiss-init wb >/dev/null
cp "$SAMPLES/guias-clinica-cp1252.csv" c.csv
cp "$SAMPLES/guias-manuais.csv" m.csv
expect_code 0 "import a file" tiss-import -C wa c.csv
expect_code 0 "import '-' from a pipe (Windows-1252 detected)" \
	piped c.csv tiss-import -C wb -
has err "'(standard input)' imported: 3 rows, 2 guides, 3 procedures (Windows-1252)" \
	"messages call it (standard input)"
same "" "$(cat out)" "nothing on stdout"
alike "the same guides, procedures, audit and import records" wa wb c.csv
same "(entrada padrão)|importado" "$(sql wb 'SELECT arquivo, situacao FROM importacao')" \
	"the import record names standard input"
same "(entrada padrão)" "$(sql wb 'SELECT DISTINCT origemArquivo FROM guia')" \
	"so does each guide's origin"
expect_code 0 "a file and '-' redirected from a file, in one command" \
	sh -c 'tiss-import -C wb m.csv - <m.csv'
has err "'(standard input)' skipped: the same bytes were imported as 'm.csv'" \
	"the same bytes on standard input are skipped"

# The round trip: the export filled in and read back.
tiss-import -q -C wa m.csv
tiss-guia -C wa export >e.csv 2>/dev/null
sed 's/Maria da Conceição Souza/Maria da Conceição Souza Lima/' e.csv >e2.csv
check "the export was changed" test "$(cmp -s e.csv e2.csv; echo $?)" = 1
expect_code 0 "round trip from a file" tiss-import -C wa e2.csv
expect_code 0 "round trip through a pipe: export | edit | import -" \
	sh -c 'tiss-guia -C wb export | sed "s/Maria da Conceição Souza/Maria da Conceição Souza Lima/" | tiss-import -C wb -'
has err "'(standard input)' imported: 1 guides changed" "the change merged"
alike "the same database after the round trip" wa wb c.csv e2.csv
same "tiss-import (entrada padrão)" "$(sql wb "SELECT DISTINCT fonte FROM auditoria WHERE fonte LIKE 'tiss-import%' AND fonte NOT LIKE '%m.csv'")" \
	"the audit names standard input"

# A rejected input: kept whole nowhere, recorded, nothing named '-' made.
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;valorProc\n9;X-1;abc\n' >bad.csv
expect_code 65 "a bad file" tiss-import -C wa bad.csv
expect_code 65 "the same bad data on '-'" piped bad.csv tiss-import -C wb -
has err "(standard input):2:3: valorProc" "problems are placed in standard input"
alike "both rejected alike, nothing imported" wa wb c.csv e2.csv bad.csv
check "no file named '-' anywhere" sh -c '! find . -name - | grep -q .'

# Errors, in a workspace of their own.
tiss-init we >/dev/null
n=$(sql we 'SELECT count(*) FROM importacao')
expect_code 64 "'- -': standard input read twice" sh -c 'tiss-import -C we - - <m.csv'
has err "'-' (standard input) is named twice" "says why"
expect_code 64 "'-' twice among files: refused before any" \
	sh -c 'tiss-import -C we bad.csv - c.csv - <m.csv'
same "$n" "$(sql we 'SELECT count(*) FROM importacao')" "nothing was read"
expect_code 64 "'-' with --inbox" sh -c 'tiss-import -C we --inbox - <m.csv'
expect_code 66 "a closed standard input" sh -c 'tiss-import -C we - <&-'
has err "standard input is closed" "says so"
same "$n" "$(sql we 'SELECT count(*) FROM importacao')" "nothing recorded"
expect_code 0 "an empty inbox with standard input closed" \
	sh -c 'tiss-import -C we --inbox <&-'
expect_code 65 "an empty standard input is an empty file" \
	tiss-import -C we - </dev/null
has err "empty file" "says so"
printf 'x' >./-
expect_code 65 "a file named '-' is './-'" tiss-import -C we ./-
check "and it stays where it was" test -f ./-
rm ./-

# ---- tiss-validate --report, tiss-report -o ---------------------------------
expect_code 65 "validate --report FILE" tiss-validate -C wa --report r.csv
expect_code 65 "validate --report -" tiss-validate -C wb --report -
check "the same bytes, nothing else on stdout" cmp r.csv out
for f in csv txt html xml; do
	expect_code 0 "report -o FILE ($f)" tiss-report -C wa pendencias --format $f -o p.$f
	expect_code 0 "report -o - ($f)" tiss-report -C wb pendencias --format $f -o -
	same_as "the same bytes on stdout ($f)" p.$f c.csv
done
expect_code 74 "report -o - with standard output closed" \
	sh -c 'tiss-report -C wb pendencias -o - >&-'
check "no file named '-' made" test ! -e ./-

# ---- tiss-tuss load, tiss-guia new --csv ------------------------------------
H='Código do Termo;Termo;Data de início de vigência;Data de fim de vigência;Data de fim de implantação'
printf '\357\273\277%s\r\n81000065;Consulta odontológica;01/01/2010;;\r\n"85100099";"Profilaxia; polimento";01/01/2010;31/12/2030;\r\n' "$H" >t.csv
expect_code 0 "tuss load FILE" tiss-tuss -C wa load t.csv
expect_code 0 "tuss load -" piped t.csv tiss-tuss -C wb load -
same "$(sql wa 'SELECT * FROM tuss')" "$(sql wb 'SELECT * FROM tuss')" "the same table"
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;numeroCarteira;codigoProcedimento;valorProc\n10001234;N-1;123;81000065;10,00\n' >g.csv
expect_code 65 "guia new --csv FILE (an incomplete guide)" tiss-guia -C wa new --csv g.csv
cp out new.out
expect_code 65 "guia new --csv -" piped g.csv tiss-guia -C wb new --csv -
check "the same stdout" cmp new.out out
alike "the same guide, origin and audit" wa wb c.csv e2.csv bad.csv g.csv
same "(entrada padrão)" "$(sql wb "SELECT origemArquivo FROM guia WHERE numeroGuiaPrestador = 'N-1'")" \
	"its origin names standard input"
expect_code 66 "guia new --csv - with standard input closed" \
	sh -c 'tiss-guia -C wb new --csv - <&-'

# ---- tiss-fetch --from-file -------------------------------------------------
for w in wa wb; do conf $w registro_ans 123456; done
expect_code 0 "fetch --from-file FILE" tiss-fetch -C wa --from-file "$SAMPLES/eautorizador-10001234.xml"
cp out fetch.out
expect_code 0 "fetch --from-file -" piped "$SAMPLES/eautorizador-10001234.xml" tiss-fetch -C wb --from-file -
check "the same stdout" cmp fetch.out out
alike "the same guides from the e-Autorizador" wa wb c.csv e2.csv bad.csv \
	g.csv "$SAMPLES/eautorizador-10001234.xml"

# ---- tiss-config backup -----------------------------------------------------
expect_code 0 "backup FILE" tiss-config -C wa backup b1.db
expect_code 0 "backup -" tiss-config -C wa backup -
mv out b2.db
same "$(sqlite3 b1.db .dump)" "$(sqlite3 b2.db .dump)" "the same copy on stdout"
same "ok" "$(sqlite3 b2.db 'PRAGMA integrity_check')" "and it is whole"
has err "in '(standard output)'" "the message says where it went"
expect_code 74 "backup - with standard output closed" sh -c 'tiss-config -C wa backup - >&-'
same "" "$(ls -A wa | grep -i backup)" "no copy left in the workspace"

# ---- tiss-schemas install ---------------------------------------------------
pkg="Padrão TISS Comunicação 040300"
mkdir -p "good/$pkg"
cp "$TISS_SHARED"/4.03.00/*.xsd "good/$pkg/"
chmod -R u+w good
(cd good && python3 -m zipfile -c ../pkg.zip "$pkg")
expect_code 0 "schemas install FILE" tiss-schemas --datadir d1 install pkg.zip
expect_code 0 "schemas install - (a zip through a pipe)" \
	piped pkg.zip tiss-schemas --datadir d2 install -
check "the same files installed" diff -r d1/schemas d2/schemas
printf 'not a zip' >nz
expect_code 65 "not a zip on '-'" piped nz tiss-schemas --datadir d3 install -
has err "'(standard input)' is not a zip file" "messages call it (standard input)"

# ---- tiss-demonstrativo, tiss-recurso, tiss-portal ---------------------------
check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "workspace with two lotes ready" ready_workspace ws
u="https://127.0.0.1:$OP_PORT"
conf ws demonstrativo_endpoint "$u/tissSolicitacaoDemonstrativoRetorno"
conf ws nome "OPERADORA DE TESTE"
expect_code 0 "send" tiss-send -q -C ws
rm -rf wa wb
cp -a ws wa
cp -a ws wb
printf 'GTO-2026-0001 1 3007 5000\nGTO-2026-0001 2 1705 25000\n' >op/demo-glosas
expect_code 0 "a demonstrativo from the operator" tiss-demonstrativo -q -C ws -p 10001234 --competencia 03/2026
cp op/portal/demonstrativo.xml portal.xml
expect_code 0 "demonstrativo --from-file FILE" tiss-demonstrativo -C wa --from-file portal.xml
cp out demo.out
expect_code 0 "demonstrativo --from-file -" piped portal.xml tiss-demonstrativo -C wb --from-file -
same_as "the same stdout" demo.out portal.xml
alike "the same demonstrativo stored" wa wb portal.xml
expect_code 64 "demonstrativo --from-file - -" sh -c 'tiss-demonstrativo -C wb --from-file - - <portal.xml'
expect_code 66 "demonstrativo --from-file - with standard input closed" \
	sh -c 'tiss-demonstrativo -C wb --from-file - <&-'

expect_code 0 "recurso export -o FILE" tiss-recurso -C wa export -p 10001234 -o w.csv
expect_code 0 "recurso export -o -" tiss-recurso -C wb export -p 10001234 -o -
check "the same worksheet, nothing else on stdout" cmp w.csv out
awk -F';' -v OFS=';' 'NR > 1 { $11 = "Realizado conforme prontuário" } { print }' w.csv >f.csv
expect_code 0 "recurso import FILE" tiss-recurso -C wa import f.csv
cp out rec.out
expect_code 0 "recurso import -" piped f.csv tiss-recurso -C wb import -
check "the same stdout" cmp rec.out out
same "$(sql wa 'SELECT * FROM recurso_item')" "$(sql wb 'SELECT * FROM recurso_item')" \
	"the same items appealed"
same "$(sql wa 'SELECT sha256 FROM recurso')" "$(sql wb 'SELECT sha256 FROM recurso')" \
	"the same recurso, byte for byte"

# The portal path: a receipt file (tests/tools/portal-recibo.py, as in t1830).
check "a portal workspace" ready_workspace wp
conf wp envio portal
expect_code 0 "tiss-send in portal mode" tiss-send -q -C wp
cp -a wp wq
check "the portal's receipt files made" python3 "$TISS_SRC/tests/tools/portal-recibo.py"
expect_code 0 "portal recibo FILE" tiss-portal -C wp recibo recibo.xml
cp out recibo.out
expect_code 0 "portal recibo -" piped recibo.xml tiss-portal -C wq recibo -
check "the same stdout" cmp recibo.out out
same "$(sql wp 'SELECT status, numeroProtocolo FROM lote')" \
	"$(sql wq 'SELECT status, numeroProtocolo FROM lote')" "the same lotes recorded"

# ---- tiss-bureau --plan -----------------------------------------------------
tiss-bureau plan --shards 1 wa wb >plan
expect_code 64 "--plan - is read: a shard it does not have" \
	sh -c 'tiss-bureau run --plan - --shard 1 <plan'
has err "0 <= I < 1, the plan's shards" "the plan from standard input"
expect_code 64 "--joblog - is refused" tiss-bureau run --joblog - wa
has err "name a file" "says why"
expect_code 66 "--plan - with standard input closed" \
	sh -c 'tiss-bureau run --plan - --shard 0 <&-'

# ---- completion offers '-' where a file is read or written ---------------------
comp() {
	bash -c '. "$TISS_SRC/scripts/completion/tiss.bash"
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		_tiss "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' comp "$@"
}
same "-" "$(comp tiss-report pendencias -o -)" "completion: -o takes '-'"
same "-" "$(comp tiss-fetch --from-file -)" "completion: --from-file takes '-'"
check "completion: --joblog does not" test -z "$(comp tiss-bureau run --joblog -)"

stop_operator
same "" "$(ls -A tmp)" "no copy of standard input left in TMPDIR"
done_testing
