#!/bin/sh
# Patient data is not world-readable (issue 13 #13): under a lax umask
# (022) every file the stages make in a workspace (the database and its
# -wal, out/*.xml, reports, inbox/ subfolders, .reason files, locks) is
# 0600 and every directory 0700; with [workspace] group, 0640 and 2750
# with that group.  The CSV files a clerk drops keep their own mode when
# tiss-import moves them to done/ or error/ (behind 0700 folders; a rerun
# of tiss-init closes them too).
. "$TISS_SRC/tests/lib.sh"
umask 022

pipeline() {
	tiss-init "$1" >/dev/null
	sed -i "s|^#registro_ans =.*|registro_ans = 123456|; s|^#schemas =.*|schemas = $TISS_SHARED/4.03.00|" "$1/tiss.conf"
	[ -z "${2:-}" ] || printf '[workspace]\ngroup = %s\n' "$2" >>"$1/tiss.conf"
	tiss-init "$1" >/dev/null
	cp "$SAMPLES/guias-manuais.csv" "$1/inbox/"
	echo "not a csv" >"$1/inbox/bad.csv"
	touch -d '1 minute ago' "$1"/inbox/*.csv
	tiss-import -q -C "$1" --inbox
	tiss-validate -q -C "$1" --report "$1/reports/pendencias.csv"
	tiss-guia -q -C "$1" set GTO-2026-0003 croExec=12345 cbosExec2=223208 >/dev/null
	tiss-lote -q -C "$1" build >/dev/null
	tiss-xml -q -C "$1"
	tiss-report -q -C "$1" pendencias --format html -o "$1/reports/p.html"
}

pipeline ws
check "the pipeline made XML files" sh -c 'find ws/out -name "*.xml" | grep -q .'
check "and an error/ .reason" sh -c 'find ws/inbox/error -name "*.reason" | grep -q .'
same "" "$(find ws -type f ! -perm 0600 ! -name '*Z-*.csv')" "every file is 0600"
same "" "$(find ws -type d ! -perm 0700)" "every directory is 0700"

grp=$(getent group adm >/dev/null && echo adm || id -gn)
pipeline gws "$grp"
same "" "$(find gws -path gws/secrets -prune -o -type f ! -perm 0640 ! -name '*Z-*.csv' -print)" "with a group: every file 0640"
same "" "$(find gws -path gws/secrets -prune -o -type d ! -perm 2750 -print)" "every directory 2750"
same "" "$(find gws -path gws/secrets -prune -o ! -group "$grp" -print)" "all of it the group's"
tiss-init -q ws >/dev/null
same "" "$(find ws -perm /077)" "tiss-init closes the dropped files too"
done_testing
