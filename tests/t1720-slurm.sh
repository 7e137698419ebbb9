#!/bin/sh
# The bureau on a real Slurm cluster (one node, started under the test's
# directory): scripts/slurm/submit plans 4 shards, runs them as a job
# array against the fake operator and a summary job after it; the
# result equals a one-machine run, and a failing shard's exit code
# comes through.
. "$TISS_SRC/tests/lib.sh"
. "$TISS_SRC/tests/operator.sh"
. "$TISS_SRC/tests/slurm.sh"
PATH=$TISS_SRC/scripts:$PATH
SOURCE_DATE_EPOCH=1775037600
TZ=UTC
export PATH SOURCE_DATE_EPOCH TZ TISS_DATADIR

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
	fail "slurm-wlm and munge are not installed (scripts/install-deps)"
	done_testing
fi
trap 'stop_slurm "$T_DIR/slurm"; kill $OP_PID 2>/dev/null; rm -rf "$T_DIR"' EXIT
check "a single-node Slurm cluster starts" start_slurm "$T_DIR/slurm"
check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem

for side in cluster single; do
	mkdir $side
	bureau_ws $side/a 40000001 120
	bureau_ws $side/b 40000002 90
	bureau_ws $side/c 40000003 60
	bureau_ws $side/d 40000004 30
	bureau_ws $side/e 40000005 15
done

expect_code 0 "one machine" tiss-bureau run --jobs 2 single/a single/b single/c single/d single/e
expect_code 0 "submit 4 shards and the summary" "$TISS_SRC/scripts/slurm/submit" "$T_DIR/cluster" 4
array=$(sed -n 1p out)
summary=$(sed -n 2p out)
check "the jobs finish" wait_slurm
same "0 0
1 0
2 0
3 0" "$(task_exits "$array")" "4 array tasks, each exit 0"
same "0" "$(exit_of "$summary")" "the summary job ran after them, exit 0"
same "4" "$(cut -f1 cluster/plan.tsv | sort -u | wc -l | tr -d ' ')" "the plan used 4 shards"
state() {
	sql "$1" "SELECT codigoPrestadorNaOperadora, numeroLote, status, xmlHash, numeroProtocolo FROM lote ORDER BY 1, 2"
	sql "$1" "SELECT status, count(*) FROM guia GROUP BY 1"
}
for w in a b c d e; do
	same "$(state single/$w)" "$(state cluster/$w)" "workspace $w: the cluster's result equals one machine's"
done
check "each lote reached the operator once" sh -c "! awk '{print \$1, \$2}' op/received.log | sort | uniq -d | grep -q ."

# A failing workspace.
conf cluster/c registro_ans 12
expect_code 0 "submit again" "$TISS_SRC/scripts/slurm/submit" "$T_DIR/cluster" 4
array=$(sed -n 1p out)
summary=$(sed -n 2p out)
check "the jobs finish" wait_slurm
shard_c=$(awk -F '\t' '$2 ~ /\/c\/?$/ { print $1 }' cluster/plan.tsv)
same "78" "$(task_exits "$array" | awk -v s="$shard_c" '$1 == s { print $2 }')" "the failing shard's task exits 78"
same "0" "$(task_exits "$array" | awk -v s="$shard_c" '$1 != s && $2 != 0' | wc -l | tr -d ' ')" "the others exit 0"
same "78" "$(exit_of "$summary")" "and the summary job exits 78"
check "the shard's output names the workspace" grep -q "exit 78" $(ls tiss-shard-*_"$shard_c".out | tail -n 1)
done_testing
