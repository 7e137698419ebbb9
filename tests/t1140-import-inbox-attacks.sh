#!/bin/sh
# tiss-import --inbox against a hostile or broken hot folder (issue 13):
# a symbolic link or another file swapped in after the scan is never
# read (#7), an unreadable file is quarantined and the other files are
# imported with exit 65, not 66 (#8), file names cannot forge log or
# reason lines, and a huge first field is reported on its own line (#14).
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
IN=ws/inbox
count() { find "$1" -maxdepth 1 -name "$2" | wc -l | tr -d ' '; }

# hold_db: hold the database's write lock (another writer) from when
# `locked` exists until `release` exists, so that an import blocks in
# its first file's transaction, after the scan, for as long as we need.
hold_db() {
	rm -f locked release
	python3 - ws/tiss.db <<'EOF' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open("locked", "w").close()
for _ in range(6000):
	if os.path.exists("release"):
		break
	time.sleep(0.1)
c.execute("COMMIT")
EOF
	holder=$!
	wait_for locked
}

# ---- #7: files swapped after the scan are never read -----------------------
cp "$SAMPLES/guias-manuais.csv" $IN/a1.csv
touch -d '2 minutes ago' $IN/a1.csv
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador\n7;S1\n' >$IN/b2.csv
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador\n7;S2\n' >$IN/c3.csv
touch -d '1 minute ago' $IN/b2.csv $IN/c3.csv
# The "secret" has the scanned file's size and time: only the inode differs.
size=$(wc -c <$IN/b2.csv)
printf 'TOPSECRET;%s\n' "$(head -c $((size - 11)) /dev/zero | tr '\0' x)" >secret.txt
touch -r $IN/b2.csv secret.txt
cp secret.txt other.txt
touch -r $IN/c3.csv other.txt
same "$size" "$(wc -c <secret.txt)" "the secret has the size of the file it replaces"

hold_db
tiss-import -C ws --inbox >out1 2>err1 &
pid=$!
check "the import claimed its first file" wait_for $IN/processing/a1.csv
ln -s "$PWD/secret.txt" $IN/b2.link && mv $IN/b2.link $IN/b2.csv
mv other.txt $IN/c3.csv
touch release
wait $holder
wait $pid
same 65 "$?" "files swapped after the scan: exit 65, the chain goes on"
same 3 "$(sql ws 'SELECT count(*) FROM guia')" "the first file is imported"
same 0 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador IN ('S1','S2')")" \
	"nothing of the swapped files is imported"
check "the secret never reaches a message" sh -c '! grep -q TOPSECRET err1'
check "... nor a reason file" sh -c "! cat $IN/error/*.reason | grep -q TOPSECRET"
check "the link itself is quarantined, not its target" test -L $IN/error/*-b2.csv
has err1 "b2.csv' refused: a symbolic link" "the link is reported"
has err1 "c3.csv' refused: another file was put in its place" \
	"the other file is reported"
same 600 "$(stat -c %a $IN/error/*-b2.csv.reason)" "a reason file is 0600"
has "$(ls $IN/error/*-c3.csv.reason)" "another file was put in its place" \
	"the reason says why"
check "the secret is unchanged" test -f secret.txt

# ---- #8: an unreadable file does not stop billing --------------------------
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador\n7;U1\n' >$IN/d4.csv
cp "$SAMPLES/guias-manuais.csv" e5.csv
sed 's/;GTO-/;E5-/' e5.csv >$IN/e5.csv
touch -d '2 minutes ago' $IN/d4.csv
touch -d '1 minute ago' $IN/e5.csv
chmod 000 $IN/d4.csv
if [ "$(id -u)" -eq 0 ]; then
	# root reads anything: run the import as nobody over its own workspace.
	chmod 755 "$T_DIR"
	chown -R 65534:65534 ws
	run() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	run() { "$@"; }
fi
expect_code 65 "an unreadable file: exit 65 (input rejected), not 66" \
	run tiss-import -C ws --inbox
same 3 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador GLOB 'E5-*'")" \
	"the next file is imported"
same 1 "$(count $IN/error '*-d4.csv')" "the unreadable file is quarantined"
same 0 "$(count $IN '*d4.csv')" "... and not left in the inbox for every run"
has "$(ls $IN/error/*-d4.csv.reason)" "Permission denied" "its reason says why"
expect_code 0 "the next run is clean" run tiss-import -C ws --inbox

# ---- #14: names cannot forge lines -----------------------------------------
nl='
'
bad="n${nl}FORGED: all fine.csv"
esc="e$(printf '\033')[31m.csv"
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;valorProc\n7;N1;dez\n' >"$IN/$bad"
cp "$IN/$bad" "$IN/$esc"
touch -d '1 minute ago' "$IN/$bad" "$IN/$esc"
expect_code 65 "files with control characters in their names" \
	run tiss-import -C ws --inbox
check "no line of the log is forged" sh -c '! grep -q "^FORGED" err'
has err 'n\nFORGED: all fine.csv:2:3: valorProc' "a newline in a name is shown escaped"
has err 'e\x1b[31m.csv:2:3: valorProc' "an escape in a name is shown as hex"
check "no line of a reason file is forged" sh -c "! grep -rq '^FORGED' $IN/error"
has "$(ls $IN/error/*FORGED*.reason)" 'n\nFORGED: all fine.csv:2:3' \
	"the reason file has the escaped name"

# ---- #14: a huge first field is reported on its own line -------------------
{
	printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador\n7;H1\n'
	head -c 1100000 /dev/zero | tr '\0' a
	printf ';H2\n'
} >huge.csv
expect_code 65 "a first field over 1 MiB" tiss-import -C ws huge.csv
has err "huge.csv:3: row: a field longer than 1048576 bytes starts here" \
	"reported on the line it starts on"
done_testing
