#!/bin/sh
# tiss-config backup: a consistent copy of a live workspace's database
# taken while an import is writing (VACUUM INTO, one snapshot): it passes
# integrity_check and holds exactly the files committed when it was
# taken; the restore procedure of docs/operations.md, followed step by
# step, gives a workspace where a rerun of the import finishes the job
# without a duplicate.  Never overwrites; private like the workspace.
. "$TISS_SRC/tests/lib.sh"

tiss-init -q ws >/dev/null
n=30	# files: enough that the backup lands while the import writes
i=1
while [ $i -le $n ]; do
	"$TISS_BUILD/tools/gen-csv" 2000 1 | sed "s/^10000000;/$((30000000 + i));/" >g$i.csv
	i=$((i + 1))
done
total=$(for i in $(seq $n); do tail -n +2 g$i.csv | cut -d';' -f1,2; done | sort -u | wc -l)

tiss-import -q -C ws $(seq -f 'g%g.csv' 1 $n) >import.out 2>&1 &
ipid=$!
# Until the first file is committed (generous deadline), then at once.
for _ in $(seq 600); do
	[ "$(sql ws "SELECT count(*) FROM importacao" 2>/dev/null)" -ge 1 ] 2>/dev/null && break
	sleep 0.1
done
mkdir -m 700 backup
expect_code 0 "tiss-config backup while the import writes" tiss-config -C ws backup backup/tiss.db
has err "integrity ok" "checked"
# The files of the workspace, by the documented procedure.
check "the files beside it (tar)" tar -C ws --exclude=./tiss.db --exclude=./tiss.db-wal \
	--exclude=./tiss.db-shm --exclude=./run.lock --exclude=./import.lock -cpf backup/files.tar .
wait $ipid
same "0" "$?" "the import went on and finished"

same "ok" "$(sqlite3 backup/tiss.db 'PRAGMA integrity_check')" "the backup passes integrity_check"
got=$(sqlite3 backup/tiss.db "SELECT count(*) FROM guia")
committed=$(sqlite3 backup/tiss.db "SELECT coalesce(sum(guias), 0) FROM importacao WHERE situacao = 'importado'")
same "$committed" "$got" "its guides are exactly those of the files committed then ($got)"
check "taken during the import: some files, not all ($got of $total guides)" \
	test "$got" -gt 0 -a "$got" -lt "$total"
same "$total" "$(sql ws 'SELECT count(*) FROM guia')" "the live workspace has them all"
same "-rw-------" "$(ls -l backup/tiss.db | cut -c1-10)" "the backup is private (0600)"
expect_code 74 "a backup never overwrites" tiss-config -C ws backup backup/tiss.db
has err "exists" "saying so"
same "ok" "$(sqlite3 backup/tiss.db 'PRAGMA integrity_check')" "and the first is intact"
expect_code 74 "a folder that does not exist" tiss-config -C ws backup nowhere/tiss.db
check "leaves no temporary file" sh -c "! ls backup | grep -q tmp"

# Restore, as docs/operations.md says: a new folder, the files, the
# database, a check, then the job again.
mkdir -m 700 restored
check "restore the files" tar -C restored -xpf backup/files.tar
check "restore the database" cp backup/tiss.db restored/tiss.db
chmod 600 restored/tiss.db
same "ok" "$(sqlite3 restored/tiss.db 'PRAGMA integrity_check')" "check it"
expect_code 0 "the restored workspace opens" tiss-config -C restored counts
expect_code 0 "the import again: the files in the backup are skipped, the rest imported" \
	tiss-import -q -C restored $(seq -f 'g%g.csv' 1 $n)
same "$total" "$(sql restored 'SELECT count(*) FROM guia')" "every guide once"
same "$n" "$(sql restored "SELECT count(*) FROM importacao WHERE situacao = 'importado'")" "every file once"
done_testing
