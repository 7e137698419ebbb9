#!/bin/sh
# tiss-import --inbox: the hot folder.  Stable files only, claim by
# rename, done/ and error/ with a reason file, recovery of an
# interrupted run, one import at a time, crash safety.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
IN=ws/inbox
old() {	touch -d '1 hour ago' "$@"; }
count() { find "$1" -maxdepth 1 -type f -name "$2" | wc -l | tr -d ' '; }

cp "$SAMPLES/guias-manuais.csv" $IN/a.csv
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;valorProc\n7;B1;dez\n7;B2;cinco\n' >$IN/bad.csv
cp $IN/bad.csv bad.orig
cp "$SAMPLES/guias-manuais.csv" $IN/.hidden.csv
cp "$SAMPLES/guias-manuais.csv" $IN/partial.csv.part
cp "$SAMPLES/guias-manuais.csv" $IN/upload.tmp
: >$IN/empty.csv
cp "$SAMPLES/guias-clinica-cp1252.csv" $IN/fresh.csv
old $IN/a.csv $IN/bad.csv $IN/.hidden.csv $IN/partial.csv.part $IN/upload.tmp $IN/empty.csv

# A minimum age of 10 minutes, not the default 2 s: fresh.csv must still
# be young when the scan comes, however slow the machine.
expect_code 65 "inbox with one bad file exits 65" tiss-import -C ws --inbox --min-age 600
same 3 "$(sql ws 'SELECT count(*) FROM guia')" "the good file is imported"
same 1 "$(count $IN/done '*-a.csv')" "the good file is in done/, time-stamped"
same 1 "$(count $IN/error '*-bad.csv')" "the bad file is in error/"
check "the rejected file stays whole" cmp -s bad.orig $IN/error/*-bad.csv
has "$(ls $IN/error/*-bad.csv.reason)" "bad.csv:2:3: valorProc: 'dez': not a number" \
	"the reason file lists the first problem"
has "$(ls $IN/error/*-bad.csv.reason)" "bad.csv:3:3: valorProc: 'cinco'" \
	"the reason file lists every problem"
for f in .hidden.csv partial.csv.part upload.tmp empty.csv; do
	check "$f is left alone" test -f "$IN/$f"
done
check "a file changed less than --min-age ago waits" test -f $IN/fresh.csv
same 0 "$(count $IN/processing '*')" "processing/ is empty after the run"

expect_code 0 "--min-age 0 takes the fresh file" tiss-import -C ws --inbox --min-age 0
same 5 "$(sql ws 'SELECT count(*) FROM guia')" "the fresh file is imported"

# The same bytes dropped again go to done/ without duplicates.
cp "$SAMPLES/guias-manuais.csv" $IN/again.csv && old $IN/again.csv
expect_code 0 "a file already imported" tiss-import -C ws --inbox
same 1 "$(count $IN/done '*-again.csv')" "it goes to done/"
same 5 "$(sql ws 'SELECT count(*) FROM guia')" "no duplicates"

# A leftover of an interrupted run is put back and imported.
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador\n8;R1\n' >$IN/processing/left.csv
old $IN/processing/left.csv
expect_code 0 "leftover in processing/" tiss-import -C ws --inbox
has err "left in processing/ by an interrupted run" "recovery is logged"
same 1 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador='R1'")" \
	"the leftover is imported"

# One import per workspace at a time.
rm -f locked release
# The lock is held until the file release appears (10 minutes at most):
# an import that waited for it would take minutes, not seconds.
flock ws/import.lock sh -c ': >locked; i=0; while [ ! -e release ] && [ $i -lt 6000 ]; do sleep 0.1; i=$((i + 1)); done' &
await 300 test -e locked
start=$(date +%s)
expect_code 75 "a second import exits 75" tiss-import -C ws --inbox
same 1 "$(( $(date +%s) - start <= 60 ))" "... at once, without waiting for the lock"
has err "another import is running" "the message says why"
: >release
wait

# A crash mid-import leaves the database consistent; the rerun finishes
# the job without duplicates.
"$TISS_BUILD/tools/gen-csv" 100000 10 >$IN/big.csv
old $IN/big.csv
tiss-import -C ws --inbox 2>/dev/null &
pid=$!
sleep 0.5
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
n=$(sql ws "SELECT count(*) FROM procedimento p JOIN guia g ON g.id=p.guia_id WHERE numeroGuiaPrestador GLOB 'G[0-9]*'")
case $n in
0|100000) pass "after kill -9 the import is all or nothing ($n)" ;;
*) fail "after kill -9 the import is half there: $n procedures" ;;
esac
same ok "$(sql ws 'PRAGMA integrity_check')" "database intact after kill -9"
expect_code 0 "rerun after the crash" tiss-import -C ws --inbox
same 100000 "$(sql ws "SELECT count(*) FROM procedimento p JOIN guia g ON g.id=p.guia_id WHERE numeroGuiaPrestador GLOB 'G[0-9]*'")" \
	"every row imported exactly once"
same 0 "$(count $IN/processing '*')" "nothing left in processing/"
done_testing
