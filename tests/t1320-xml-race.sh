#!/bin/sh
# tiss-xml beside a clerk: a lote edited while its XML is made is not
# recorded with the old guides (a guide is never billed twice); one
# tiss-xml per workspace; leftovers of an interrupted run removed, and
# nothing else; a prestador code that is no safe folder name fails its
# lote, not the run, and creates nothing outside out/.
. "$TISS_SRC/tests/lib.sh"

SOURCE_DATE_EPOCH=1774951200
TZ=UTC
export SOURCE_DATE_EPOCH TZ

# The race of issue 13 #2, made deterministic by the test-only pause:
# tiss-xml reads lote 1, then the clerk removes a guide and closes the
# lote again, then tiss-xml goes on to record.
check "workspace ws in lotes" lotes_workspace ws
P=10001234
G=$(sql ws "SELECT g.numeroGuiaPrestador FROM guia g JOIN lote l ON l.id = g.lote_id WHERE l.codigoPrestadorNaOperadora = '$P' AND l.numeroLote = 1 ORDER BY 1 LIMIT 1")
n=$(sql ws "SELECT count(*) FROM guia g JOIN lote l ON l.id = g.lote_id WHERE l.codigoPrestadorNaOperadora = '$P' AND l.numeroLote = 1")
[ "$n" -ge 2 ] && pass "lote 1 of $P has $n guides" || fail "lote 1 of $P has $n guides, want 2 or more"
id=$(sql ws "SELECT id FROM lote WHERE codigoPrestadorNaOperadora = '$P' AND numeroLote = 1")
mkdir pause
TISS_TEST_XML_PAUSE=$PWD/pause tiss-xml -C ws -p $P --lote 1 -j 1 >xml.out 2>xml.err &
pid=$!
check "tiss-xml has read lote 1 and waits" wait_for pause/read-$id
expect_code 75 "a second tiss-xml in the same workspace exits 75 at once" tiss-xml -C ws
has err "another xml is running" "... saying another is running"
check "the clerk removes guide $G from lote 1" tiss-lote -q -C ws -p $P rm 1 "$G"
check "... and closes it again" tiss-lote -q -C ws -p $P close 1
touch pause/go
wait $pid
same 0 $? "tiss-xml ends well: the lote is left for the next run"
has xml.err "lote 1 of $P changed while its XML was made" "... with a notice"
same "fechado" "$(sql ws "SELECT status FROM lote WHERE codigoPrestadorNaOperadora = '$P' AND numeroLote = 1")" \
	"the edited lote is not recorded (still fechado)"
same "" "$(sql ws "SELECT xmlArquivo FROM lote WHERE codigoPrestadorNaOperadora = '$P' AND numeroLote = 1")" \
	"... and names no file"
same 0 "$(find ws/out -name '1_*' -type f | wc -l | tr -d ' ')" "the files it had written are removed"
expect_code 0 "the next run makes the lote as it is now" tiss-xml -C ws
tiss-lote -q -C ws build >/dev/null
expect_code 0 "the removed guide, in a new lote, gets its XML" tiss-xml -C ws
billed=0
for f in $(sql ws "SELECT xmlArquivo FROM lote WHERE xmlArquivo IS NOT NULL"); do
	! grep -q "<ans:numeroGuiaPrestador>$G</ans:numeroGuiaPrestador>" "ws/$f" || billed=$((billed + 1))
done
same 1 "$billed" "guide $G is in exactly one XML file: never billed twice"

# Leftovers of an interrupted run: ours go, nothing else does.
H=0123456789abcdef0123456789abcdef
d=ws/out/$P
: >"$d/.7_$H.xml.tmp"
: >"$d/.7_${H}_ws.xml.tmp"
: >"$d/7_$H.xml"
: >"$d/7_${H}_ws.xml"
: >"$d/notes.txt"
: >"$d/7_protocolo.xml"
: >"$d/.7_protocolo.xml.tmp"
: >"$d/7_${H}X.xml"
: >"$d/7_0123.xml"
echo keep >outside.xml
ln -s "$PWD/outside.xml" "$d/8_$H.xml"
mkdir -p ws/out/other
: >ws/out/other/9_$H.xml
kept=$(sql ws "SELECT xmlArquivo || ' ' || soapArquivo FROM lote WHERE xmlArquivo IS NOT NULL")
expect_code 0 "a run after an interrupted one" tiss-xml -C ws
for f in ".7_$H.xml.tmp" ".7_${H}_ws.xml.tmp" "7_$H.xml" "7_${H}_ws.xml"; do
	[ ! -e "$d/$f" ] && pass "leftover $f removed" || fail "leftover $f removed"
done
[ ! -e ws/out/other/9_$H.xml ] && pass "an orphan in another prestador's folder removed" ||
	fail "an orphan in another prestador's folder removed"
for f in notes.txt 7_protocolo.xml .7_protocolo.xml.tmp "7_${H}X.xml" 7_0123.xml "8_$H.xml"; do
	[ -e "$d/$f" ] || [ -L "$d/$f" ] && pass "$f kept: not one of ours" || fail "$f kept: not one of ours"
done
same keep "$(cat outside.xml)" "a link's target is never touched"
missing=0
for f in $kept; do [ -f "ws/$f" ] || missing=$((missing + 1)); done
same 0 "$missing" "every file a lote references is kept"
has err "removed 5 files an interrupted run left" "the sweep is reported"

# A worker killed by a signal makes the run exit 70; the other worker's
# lote is recorded, and a rerun finishes the job.
check "workspace kill in lotes" lotes_workspace kill
rm -rf pause && mkdir pause
TISS_TEST_XML_PAUSE=$PWD/pause tiss-xml -C kill -j 2 >xml.out 2>xml.err &
pid=$!
ids=$(sql kill "SELECT id FROM lote ORDER BY id")
for i in $ids; do check "worker has read lote id $i" wait_for pause/read-$i; done
# Both workers, polled: a busy machine may show them late.
workers() { [ "$(pgrep -P $pid | wc -l)" -ge 2 ]; }
await 30 workers
set -- $(pgrep -P $pid)
same 2 "$#" "two workers"
[ $# -eq 2 ] || ps -eo pid,ppid,stat,args >&2
[ $# -ge 1 ] && kill -9 "$1"
touch pause/go
wait $pid
same 70 $? "a worker killed by a signal: exit 70"
has xml.err "killed by signal 9" "... saying so"
same 1 "$(sql kill "SELECT count(*) FROM lote WHERE status = 'xml_gerado'")" "the other worker's lote is recorded"
expect_code 0 "a rerun finishes the job" tiss-xml -C kill
same "xml_gerado" "$(sql kill 'SELECT DISTINCT status FROM lote')" "every lote has its XML"

# A prestador code that cannot name a folder (issue 13 #1, output side).
check "workspace evil in lotes" lotes_workspace evil
id=$(sql evil "SELECT id FROM lote WHERE codigoPrestadorNaOperadora = '$P'")
sql evil "UPDATE guia SET codigoPrestadorNaOperadora = '../../pwned' WHERE lote_id = $id"
sql evil "UPDATE lote SET codigoPrestadorNaOperadora = '../../pwned' WHERE id = $id"
expect_code 65 "a lote whose prestador code is a path fails" tiss-xml -C evil
has err "prestador code '../../pwned' cannot name a folder" "... naming the code"
has err "lote 1:" "... and the lote"
[ ! -e pwned ] && [ ! -e evil/pwned ] && [ ! -e "$T_DIR/../pwned" ] && pass "nothing created outside out/" ||
	fail "nothing created outside out/"
same "fechado xml_gerado" "$(sql evil "SELECT group_concat(status, ' ') FROM (SELECT status FROM lote ORDER BY id)")" \
	"the other lote goes on"
for code in '..' '.hidden' 'a/b' "$(printf 'a\nb')" ''; do
	sql evil "UPDATE guia SET codigoPrestadorNaOperadora = '$code' WHERE lote_id = $id"
	sql evil "UPDATE lote SET codigoPrestadorNaOperadora = '$code' WHERE id = $id"
	expect_code 65 "prestador code '$code' is refused" tiss-xml -C evil --lote 1
done
same "" "$(find evil/out -mindepth 1 -maxdepth 1 ! -name 20005678)" "out/ holds only the good prestador's folder"
done_testing
