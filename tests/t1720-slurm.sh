#!/bin/sh
# The bureau on a real Slurm cluster (one node, started under the test's
# directory): 24 small workspaces (SLURM_WS=100 for the form at scale),
# planned by scripts/slurm/submit into 4 shards run as a job array
# against the fake operator, with the summary job after it.  One array
# task is killed mid-run (SIGKILL, as a lost node); `submit --resume`
# resubmits only that shard, which skips the workspaces its job log says
# are done, and the result equals a one-machine run.  A failing
# workspace's code comes through its task and the summary.
. "$TISS_SRC/tests/lib.sh"
. "$TISS_SRC/tests/slurm.sh"
PATH=$TISS_SRC/scripts:$PATH
SOURCE_DATE_EPOCH=1775037600
TZ=UTC
export PATH SOURCE_DATE_EPOCH TZ TISS_DATADIR

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
	fail "slurm-wlm and munge are not installed (scripts/install-deps --test)"
	done_testing
fi
trap 'stop_slurm "$T_DIR/slurm"; kill $OP_PID 2>/dev/null; rm -rf "$T_DIR"' EXIT
check "a single-node Slurm cluster starts" start_slurm "$T_DIR/slurm"
check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem

# N small workspaces a side (5 to 20 procedures: one or two lotes),
# copied from one made the usual way, each with its own prestador.
# Enough for 4 shards of several workspaces each: what is checked is
# the plan, the array, the kill and the resume, not the count.
N=${SLURM_WS:-24}
bureau_ws tmpl 40000000 5
rm tmpl/inbox/g.csv
for side in cluster single; do
	mkdir $side
	i=1
	while [ $i -le $N ]; do
		w=$(printf '%s/w%03d' $side $i)
		cp -a tmpl "$w"
		"$TISS_BUILD/tools/gen-csv" $((5 + i % 4 * 5)) 1 | sed "s/^10000000;/$((40000000 + i));/" >"$w/inbox/g.csv"
		touch -d '1 minute ago' "$w/inbox/g.csv"
		i=$((i + 1))
	done
done

# wait_queue: until the queue is empty (10 minutes at most).
wait_queue() {
	for _ in $(seq 1200); do
		[ -z "$(squeue -h 2>/dev/null)" ] && return 0
		sleep 0.5
	done
	return 1
}
state() {
	sql "$1" "SELECT codigoPrestadorNaOperadora, numeroLote, status, xmlHash, numeroProtocolo FROM lote ORDER BY 1, 2"
	sql "$1" "SELECT status, count(*) FROM guia GROUP BY 1"
}
# differ: the workspaces whose state is not the one-machine run's.
differ() {
	for s in single/w*; do
		[ "$(state "$s")" = "$(state "cluster/${s#single/}")" ] || echo "${s#single/}"
	done
}

start=$(date +%s)
expect_code 0 "one machine: $N workspaces" tiss-bureau run --jobs 2 single/w*
echo "# one machine: $(($(date +%s) - start)) s"

# The gate (lib.sh): the task killed below is mid-run whatever the load.
gate_bureau
PATH=$T_DIR/gated:$PATH

start=$(date +%s)
expect_code 0 "submit $N workspaces in 4 shards" "$TISS_SRC/scripts/slurm/submit" "$T_DIR/cluster" 4
array=$(sed -n 1p out)
summary=$(sed -n 2p out)
same "4" "$(cut -f1 cluster/plan.tsv | sort -u | wc -l | tr -d ' ')" "the plan has 4 shards"
same "$N" "$(wc -l <cluster/plan.tsv | tr -d ' ')" "and every workspace"
# Kill the task of the shard that runs first once it has done some of its
# workspaces: all its processes at once, as when a node is lost.
victim=""
for _ in $(seq 1200); do
	for s in 0 1 2 3; do
		[ -s "cluster/joblog-$s.tsv" ] && { victim=$s; break 2; }
	done
	sleep 0.1
done
scancel --signal=KILL "${array}_$victim"
# Once the task is gone (no more line in its job log), open the gate.
for _ in $(seq 1200); do
	scontrol -o show job "${array}_$victim" 2>/dev/null | grep -q 'JobState=\(RUNNING\|PENDING\|COMPLETING\)' || break
	sleep 0.1
done
rm -f gate
in_shard=$(awk -F '\t' -v s="$victim" '$1 == s' cluster/plan.tsv | wc -l)
check "the jobs end" wait_queue
done_before=$(awk -F '\t' '$2 == 0' "cluster/joblog-$victim.tsv" | wc -l)
echo "# shard $victim killed after $done_before of its $in_shard workspaces"
check "shard $victim was killed mid-run" test "$done_before" -ge 1 -a "$done_before" -lt "$in_shard"
same "0" "$(task_exits "$array" | awk -v s="$victim" '$1 != s && $2 != 0' | wc -l | tr -d ' ')" "the other tasks exit 0"
same "75" "$(exit_of "$summary")" "the summary ran after them: 75, workspaces not run"
check "naming them" grep -q "not run (shard $victim" $(ls tiss-summary-"$summary".out)
lost=$(differ | wc -l)
check "the killed shard's unfinished workspaces differ from one machine's ($lost)" test "$lost" -ge 1

# Break one workspace of the killed shard that it had not started.
broken=$(awk -F '\t' -v s="$victim" '$1 == s { print $2 }' cluster/plan.tsv | while read -r w; do
	ls "$w"/reports/run-*.txt >/dev/null 2>&1 || echo "$w"
done | tail -n 1)
conf "$broken" registro_ans 12
runs_done=$(ls "$(awk -F '\t' '$2 == 0 { print $1; exit }' "cluster/joblog-$victim.tsv")"/reports/run-*.txt | wc -l)
expect_code 0 "submit --resume" "$TISS_SRC/scripts/slurm/submit" --resume "$T_DIR/cluster"
has err "resuming shards $victim" "resubmits only the killed shard"
array=$(sed -n 1p out)
summary=$(sed -n 2p out)
check "the jobs end" wait_queue
same "$victim 78" "$(task_exits "$array")" "one task, exit 78: the broken workspace"
same "78" "$(exit_of "$summary")" "and the summary job exits 78"
check "the shard's output names it" grep -q "${broken#"$T_DIR"/}	exit 78" $(ls tiss-shard-"$array"_*.out)
same "$runs_done" "$(ls "$(awk -F '\t' '$2 == 0 { print $1; exit }' "cluster/joblog-$victim.tsv")"/reports/run-*.txt | wc -l)" \
	"a workspace done before the kill did not run again"
same "${broken##*/}" "$(differ)" "every other workspace equals the one-machine run"

sed -i '/^registro_ans = 12$/d' "$broken/tiss.conf"
conf "$broken" registro_ans 123456
expect_code 0 "fixed, submit --resume again" "$TISS_SRC/scripts/slurm/submit" --resume "$T_DIR/cluster"
array=$(sed -n 1p out)
summary=$(sed -n 2p out)
check "the jobs end" wait_queue
same "$victim 0" "$(task_exits "$array")" "the shard's task exits 0"
same "0" "$(exit_of "$summary")" "so does the summary"
same "" "$(differ)" "all $N workspaces equal the one-machine run"
check "each lote reached the operator once" sh -c "! awk '{print \$1, \$2}' op/received.log | sort | uniq -d | grep -q ."
expect_code 0 "nothing left to resume" "$TISS_SRC/scripts/slurm/submit" --resume "$T_DIR/cluster"
has err "every shard" "says so"
echo "# cluster, kill and resumes: $(($(date +%s) - start)) s"
done_testing
