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
same "10" "$(sql ws 'PRAGMA user_version')" "schema version recorded"
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
same "10" "$(sql old 'PRAGMA user_version')" "migrated to the current version"

# A workspace written by version 1 of the schema (the dump of one made by
# the first release, tests/t1000/workspace-v1.sql) is migrated forward by
# the next program that opens it, its guides kept.
mkdir v1 && sed "s/^#registro_ans =.*/registro_ans = 123456/" ws/tiss.conf >v1/tiss.conf
sqlite3 v1/tiss.db <"$TISS_SRC/tests/t1000/workspace-v1.sql"
same 1 "$(sql v1 'PRAGMA user_version')" "the fixture is a version-1 database"
expect_code 65 "a version-1 workspace is migrated by the next program" tiss-validate -C v1
same "10|5|8" "$(sql v1 'SELECT (SELECT * FROM pragma_user_version), count(*), (SELECT count(*) FROM procedimento) FROM guia')" \
	"version 10, guides and procedures kept"
same "4|1" "$(sql v1 "SELECT count(*) FILTER (WHERE status = 'completo'), count(*) FILTER (WHERE status = 'incompleto') FROM guia")" \
	"and validated after the migration"

expect_code 64 "usage error exits 64" tiss-init -x
expect_code 64 "two directories is a usage error" tiss-init a b
expect_code 0 "--help exits 0" tiss-init --help
has out "usage: tiss-init" "with the usage on stdout"
expect_code 0 "--version exits 0" tiss-init --version
same "tiss-init (tiss) $(cat "$TISS_SRC/VERSION")" "$(cat out)" "the version of the VERSION file"

# Patient data: private whatever the umask (issue 13 #13).
(umask 022 && tiss-init priv >/dev/null)
same "700" "$(stat -c %a priv)" "under umask 022 the workspace is 0700"
same "" "$(find priv -mindepth 1 -type d ! -perm 0700)" "every directory 0700"
same "" "$(find priv -type f ! -perm 0600)" "every file 0600"
(umask 022 && sqlite3 priv/tiss.db "CREATE TABLE z (a)" \
	".shell stat -c %a priv/tiss.db-wal priv/tiss.db-shm" >modes)
same "600 600" "$(tr '\n' ' ' <modes | sed 's/ $//')" "tiss.db-wal and -shm 0600 (as tiss.db)"

# An existing, open workspace is closed by tiss-init.
chmod 755 priv priv/out priv/inbox
touch priv/out/old.xml priv/reports/r.html
chmod 644 priv/out/old.xml priv/reports/r.html priv/tiss.db priv/tiss.conf
expect_code 0 "tiss-init tightens an existing workspace" tiss-init priv
same "" "$(find priv -perm /077)" "nothing left open to group or others"

# A clerks' group: 2750 directories and 0640 files with that group.
grp=$(getent group adm >/dev/null && echo adm || id -gn)
printf '[workspace]\ngroup = %s\n' "$grp" >>priv/tiss.conf
expect_code 0 "tiss-init with [workspace] group" tiss-init priv
same "2750 $grp" "$(stat -c '%a %G' priv/out)" "directories 2750 with the group"
same "640 $grp" "$(stat -c '%a %G' priv/out/old.xml)" "files 0640 with the group"
same "700" "$(stat -c %a priv/secrets)" "secrets/ stays 0700"
same "0027" "$(tiss-config -C priv umask)" "the stages' umask is 027"
printf '[workspace]\ngroup = no-such-group-x\n' >>priv/tiss.conf
expect_code 78 "an unknown group is a configuration error" tiss-init priv
has err "tiss.conf:" "naming the line"
done_testing
