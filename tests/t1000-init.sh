#!/bin/sh
# tiss-init: workspace layout, database settings, idempotence, -C and
# $TISS_WORKSPACE, schema versions.
. "$TISS_SRC/tests/lib.sh"

expect_code 0 "tiss-init creates a workspace" tiss-init ws
same "ws" "$(cat out)" "prints the workspace directory"
for d in inbox inbox/processing inbox/done inbox/error out reports secrets; do
	check "has $d/" test -d "ws/$d"
done
check "has tiss.conf" test -f ws/tiss.conf
same "700" "$(stat -c %a ws/secrets)" "secrets/ is mode 0700"
same "wal" "$(sql ws 'PRAGMA journal_mode')" "database in WAL mode"
same "4" "$(sql ws 'PRAGMA user_version')" "schema version recorded"
has ws/tiss.conf "#registro_ans =" "config has commented defaults"

echo "registro_ans = 123456" >>ws/tiss.conf
chmod 755 ws/secrets
expect_code 0 "tiss-init again on the same workspace" tiss-init -C ws
has ws/tiss.conf "registro_ans = 123456" "a second init keeps the config"
same "700" "$(stat -c %a ws/secrets)" "a second init restores secrets/ 0700"

expect_code 0 "nested directories are created" tiss-init a/b/c
check "nested workspace" test -f a/b/c/tiss.db

expect_code 0 "TISS_WORKSPACE names the workspace" \
	env TISS_WORKSPACE="$T_DIR/envws" tiss-init
check "workspace from TISS_WORKSPACE" test -f envws/tiss.db

expect_code 78 "a directory that is not a workspace is refused" \
	tiss-import -C nowhere "$SAMPLES/guias-manuais.csv"
has err "not a workspace" "the message says it is not a workspace"
has err "tiss-init" "the message says how to make one"

expect_code 0 "import finds the workspace through TISS_WORKSPACE" \
	env TISS_WORKSPACE="$T_DIR/envws" tiss-import "$SAMPLES/guias-manuais.csv"

sqlite3 ws/tiss.db 'PRAGMA user_version = 99'
expect_code 78 "a database newer than the program is refused" \
	tiss-import -C ws "$SAMPLES/guias-manuais.csv"
has err "newer than this program" "the message says why"

# A workspace made before any migration (version 0) is brought forward.
mkdir old && cp ws/tiss.conf old/ && sqlite3 old/tiss.db 'PRAGMA user_version = 0'
expect_code 0 "an empty version-0 database is migrated" \
	tiss-import -C old "$SAMPLES/guias-manuais.csv"
same "4" "$(sql old 'PRAGMA user_version')" "migrated to the current version"

# A workspace written by version 1 of the schema (the dump of one made by
# the first release, tests/t1000/workspace-v1.sql) is migrated forward by
# the next program that opens it, its guides kept.
mkdir v1 && sed "s/^#registro_ans =.*/registro_ans = 123456/" ws/tiss.conf >v1/tiss.conf
sqlite3 v1/tiss.db <"$TISS_SRC/tests/t1000/workspace-v1.sql"
same 1 "$(sql v1 'PRAGMA user_version')" "the fixture is a version-1 database"
expect_code 65 "a version-1 workspace is migrated by the next program" tiss-validate -C v1
same "4|5|8" "$(sql v1 'SELECT (SELECT * FROM pragma_user_version), count(*), (SELECT count(*) FROM procedimento) FROM guia')" \
	"version 4, guides and procedures kept"
same "4|1" "$(sql v1 "SELECT count(*) FILTER (WHERE status = 'completo'), count(*) FILTER (WHERE status = 'incompleto') FROM guia")" \
	"and validated after the migration"

expect_code 64 "usage error exits 64" tiss-init -x
expect_code 64 "two directories is a usage error" tiss-init a b
done_testing
