#!/bin/sh
# What a sysadmin relies on: the systemd units (verify; security 2.0 or
# better, the score printed; no hard-coded paths; OnFailure= to the
# alert unit), tiss-run --alert (the report on stderr, [alerta] comando),
# runs ending in 75 for longer than [alerta] escalar_apos escalated to
# 69, old run reports pruned ([retencao]), the cron line working under
# cron's environment, and tiss-watch --once waiting until a file that is
# still being written has stopped changing.
. "$TISS_SRC/tests/lib.sh"
PATH=$TISS_SRC/scripts:$PATH

# The units as installed, with the real scripts in ExecStart.
mkdir units
for f in "$TISS_SRC"/scripts/systemd/*; do
	sed "s|@BINDIR@|$TISS_SRC/scripts|" "$f" >"units/${f##*/}"
done
check "systemd-analyze verify accepts every unit" \
	systemd-analyze verify --man=no units/tiss-run@.service units/tiss-run@.timer \
	units/tiss-inbox@.path units/tiss-inbox@.service units/tiss-alert@.service
for u in tiss-run@.service tiss-inbox@.service; do
	(cd units && systemd-analyze security --offline=true "$u") >sec.out 2>&1
	score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p' sec.out)
	echo "# systemd-analyze security $u: $score"
	check "$u: exposure $score, 2.0 or better" awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'
done
check "no hard-coded workspace, user root or program path" \
	sh -c "! grep -nE '^[^#]*(/srv|/usr/local|/var/lib)' '$TISS_SRC'/scripts/systemd/*"
has units/tiss-run@.service "OnFailure=tiss-alert@%i.service" "a failed run alerts"
has units/tiss-inbox@.service "OnFailure=tiss-alert@%i.service" "so does a hot-folder run"
has units/tiss-alert@.service "SyslogLevel=err" "the alert is logged at priority err"
has units/tiss-inbox@.path "Unit=tiss-inbox@%i.service" "the path unit starts the waiting hot-folder run"
has units/tiss-inbox@.service "tiss-watch --once" "which is tiss-watch --once"

# A workspace whose operator is down: the send ends 75.
check "certificates made" make_pki
# Port 1: nothing listens there, and no other test can take it (a port
# found free and closed again could be another test's server by now).
OP_PORT=1
check "a workspace ready to send" ready_workspace ws
expect_code 75 "the operator down: 75" tiss-run -C ws
has out "send      exit 75" "from the send"
check "not escalated yet" sh -c "! grep -q escalated out"
old=$(date -u -d '25 hours ago' +%Y%m%dT%H%M%SZ)
echo "tiss-run $T_DIR/ws $old-1: exit 75" >"ws/reports/run-$old-1.txt"
expect_code 69 "75 for over 24 hours: escalated to 69" tiss-run -C ws
has out "escalated to 69" "saying why"
json=$(ls ws/reports/run-*.json | tail -n 1)
check "the JSON report says 69" python3 -c "import json, sys; assert json.load(open(sys.argv[1]))['exit'] == 69" "$json"
printf '\n[alerta]\nescalar_apos = 48\n' >>ws/tiss.conf
expect_code 75 "[alerta] escalar_apos = 48: not yet" tiss-run -C ws
recent=$(date -u -d '1 hour ago' +%Y%m%dT%H%M%SZ)
sed -i 's/^escalar_apos = 48$/escalar_apos = 24/' ws/tiss.conf
echo "tiss-run $T_DIR/ws $recent-1: exit 0" >"ws/reports/run-$recent-1.txt"
touch -d '1 hour ago' "ws/reports/run-$recent-1.txt"
# The success sorts before this minute's runs: the streak is these only.
expect_code 75 "a success since then resets the clock" tiss-run -C ws
sed -i 's/^escalar_apos = 24$/escalar_apos = soon/' ws/tiss.conf
expect_code 78 "a bad escalar_apos is a configuration error" tiss-run -C ws
has err "escalar_apos" "naming the key"
sed -i 's/^escalar_apos = soon$/escalar_apos = 24/' ws/tiss.conf

# The alert: the latest report on stderr, and [alerta] comando.
expect_code 0 "tiss-run --alert without a command" tiss-run -C ws --alert
has err "needs attention" "tells on stderr"
has err "exit 75" "with the report's first line"
printf 'comando = cat >"%s/alert.txt"; echo "$TISS_EXIT $TISS_WORKSPACE" >"%s/alert.env"\n' "$T_DIR" "$T_DIR" >>ws/tiss.conf
expect_code 0 "tiss-run --alert with [alerta] comando" tiss-run -C ws --alert
check "the command got the report on stdin" cmp alert.txt "$(ls ws/reports/run-*.txt | tail -n 1)"
same "75 $T_DIR/ws" "$(cat alert.env)" "and TISS_EXIT, TISS_WORKSPACE"
sed -i 's/^comando = .*/comando = exit 3/' ws/tiss.conf
expect_code 69 "a failing alert command exits 69" tiss-run -C ws --alert
has err "may not have gone out" "and says so"

# Retention: by age, then by count.
for i in 1 2 3; do
	echo "tiss-run $T_DIR/ws 20200101T00000${i}Z-1: exit 0" >"ws/reports/run-20200101T00000${i}Z-1.txt"
	: >"ws/reports/run-20200101T00000${i}Z-1.log"
done
touch -d '100 days ago' ws/reports/run-2020*
expect_code 75 "a run" tiss-run -C ws
same "0" "$(ls ws/reports/run-2020* 2>/dev/null | wc -l | tr -d ' ')" "reports older than [retencao] dias (90) are gone"
check "the newer ones stay" test "$(ls ws/reports/run-*.txt | wc -l)" -ge 5
printf '\n[retencao]\nexecucoes = 2\n' >>ws/tiss.conf
expect_code 75 "a run with [retencao] execucoes = 2" tiss-run -C ws
same "2" "$(ls ws/reports/run-*.txt | wc -l | tr -d ' ')" "keeps the last 2 runs' reports"
same "2" "$(ls ws/reports/run-*.json | wc -l | tr -d ' ')" "and their JSON"
has "$(ls ws/reports/run-*.log | tail -n 1)" "old run report files removed" "the log says what went"

# The cron line of an installed tree, run with cron's environment.
B=${TISS_BUILD#"$TISS_SRC"/}
check "make install PREFIX=inst" make -s -C "$TISS_SRC" B="$B" install PREFIX="$T_DIR/inst"
line=$(sed -n 's/^#[0-9].* tiss \(PATH=.*\)$/\1/p' inst/etc/cron.d/tiss | sed "s|/var/lib/tiss/clinica|$T_DIR/ws|")
echo "# cron: $line"
sed -i 's/^execucoes = 2$/execucoes = 0/' ws/tiss.conf
env -i PATH=/usr/bin:/bin HOME="$T_DIR" sh -c "$line" >cron.out 2>&1
same "75" "$?" "the cron line runs the job with cron's PATH (75: the operator is down)"
check "not 'not found'" sh -c "! grep -q 'not found' cron.out"
has cron.out "import    exit 0" "the stages were found (none is in cron's PATH)"

# The hot folder waits until a file has stopped changing.
tiss-init -q hot >/dev/null
conf hot registro_ans 123456
conf hot schemas "$TISS_SHARED/4.03.00"
sed -i 's/^\[import\]$/[import]\nmin_age = 5/' hot/tiss.conf
grep -q '^min_age = 5' hot/tiss.conf || printf '\n[import]\nmin_age = 5\n' >>hot/tiss.conf
"$TISS_BUILD/tools/gen-csv" 15 1 >all.csv
lines=$(wc -l <all.csv)
head -n 2 all.csv >hot/inbox/slow.csv
tiss-watch -C hot --once >watch.out 2>&1 &
wpid=$!
# A slow copy: a line every 0.2 s, so the file is never 5 s old until it
# ends (a writer stalled 5 s would be a copy that stopped).
i=3
while [ $i -le "$lines" ]; do
	sed -n "${i}p" all.csv >>hot/inbox/slow.csv
	i=$((i + 1))
	sleep 0.2
done
wait $wpid
same "1" "$(ls hot/reports/run-*.txt | wc -l | tr -d ' ')" "tiss-watch --once ran the job once, after the copy ended"
tiss-init -q ref >/dev/null
tiss-import -q -C ref all.csv
same "$(sql ref 'SELECT count(*) FROM procedimento')" "$(sql hot 'SELECT count(*) FROM procedimento')" "and imported the whole file"
done_testing
