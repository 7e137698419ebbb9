#!/bin/sh
# tiss-bureau: many workspaces, a plan balanced by guide count, shards
# (also from Slurm's array variables) giving the same result as one
# machine, GNU parallel, the most severe exit code coming through.
. "$TISS_SRC/tests/lib.sh"
PATH=$TISS_SRC/scripts:$PATH
SOURCE_DATE_EPOCH=1775037600	# the same XML, byte for byte, on both sides
TZ=UTC
export SOURCE_DATE_EPOCH TZ

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem

for side in sharded single; do
	mkdir $side
	bureau_ws $side/a 30000001 40
	bureau_ws $side/b 30000002 30
	bureau_ws $side/c 30000003 20
	bureau_ws $side/d 30000004 10
	for w in a b c d; do
		tiss-import -q -C $side/$w --inbox
	done
done

expect_code 0 "plan 2 shards" tiss-bureau plan --shards 2 sharded/a sharded/b sharded/c sharded/d
cp out plan
same "2" "$(cut -f1 plan | sort -u | wc -l | tr -d ' ')" "every shard has work"
diff=$(awk -F '\t' '{ s[$1] += $3 } END { d = s[0] - s[1]; print (d < 0 ? -d : d) }' plan)
check "balanced by guide count (the shards differ by $diff guides)" test "$diff" -le 10
expect_code 0 "the plan is the same whatever the order given" tiss-bureau plan --shards 2 sharded/d sharded/c sharded/b sharded/a
same "$(sort plan)" "$(sort out)" "deterministic"

expect_code 64 "a shard without the plan is refused" tiss-bureau run --shard 0 sharded/a
expect_code 0 "shard 0 of the plan" tiss-bureau run --jobs 2 --plan plan --shard 0
cp out shard0
expect_code 0 "shard 1, from Slurm's array variables" env SLURM_ARRAY_TASK_ID=8 SLURM_ARRAY_TASK_MIN=7 \
	tiss-bureau run --jobs 2 --plan plan
cp out shard1
same "4" "$(cat shard0 shard1 | wc -l | tr -d ' ')" "each workspace ran once, in one shard"
expect_code 0 "one machine, all at once" tiss-bureau run --jobs 2 single/a single/b single/c single/d
has out "single/a	exit 0" "a summary line per workspace"

state() {
	sql "$1" "SELECT codigoPrestadorNaOperadora, numeroLote, status, xmlHash, numeroProtocolo FROM lote ORDER BY 1, 2"
	sql "$1" "SELECT status, count(*) FROM guia GROUP BY 1"
}
for w in a b c d; do
	same "$(state single/$w)" "$(state sharded/$w)" "workspace $w: the shards' result equals the one-machine run"
done
same "enviada" "$(sql sharded/a "SELECT DISTINCT status FROM guia WHERE status = 'enviada'")" "the guides were sent"
check "each lote reached the operator once" sh -c "! awk '{print \$1, \$2}' op/received.log | sort | uniq -d | grep -q ."
check "per-workspace output kept" test -f sharded/a/reports/bureau-last.txt

# A run killed midway (a lost machine), then resumed from its job log:
# only the workspaces not done run again, and the result is the same.
mkdir resumed
bureau_ws resumed/a 30000001 40
bureau_ws resumed/b 30000002 30
bureau_ws resumed/c 30000003 20
bureau_ws resumed/d 30000004 10
# The gate (lib.sh): the kill lands mid-run whatever the load.
gate_bureau
PATH=$T_DIR/gated:$PATH setsid tiss-bureau run --jobs 1 --joblog joblog resumed/a resumed/b resumed/c resumed/d >killed.out 2>&1 &
bpid=$!
await 600 test -s joblog
kill -9 -$bpid
wait $bpid 2>/dev/null
# The group's other processes die when their system call returns; until
# then a workspace's run lock is still held.
for _ in $(seq 600); do
	kill -0 -$bpid 2>/dev/null || break
	sleep 0.05
done
# The job waiting at the gate is in a group of its own (GNU parallel's):
# it outlived the kill, and must not run its workspace beside the rerun.
echo drop >gate
first=$(head -n 1 joblog | cut -f1)
# Only the workspaces that ended 0: the dropped job may already have
# logged its 75, which --resume runs again.
ndone=$(awk -F '\t' '$2 == 0' joblog | wc -l | tr -d ' ')
check "the killed run had finished some workspaces ($ndone), not all" test "$ndone" -ge 1 -a "$ndone" -lt 4
runs_first=$(ls "$first"/reports/run-*.txt | wc -l)
expect_code 64 "--resume needs the job log" tiss-bureau run --resume resumed/a
expect_code 0 "the rerun with --resume" tiss-bureau run --jobs 2 --joblog joblog --resume resumed/a resumed/b resumed/c resumed/d
has out "$first	done before (exit 0" "skips what was done"
same "$runs_first" "$(ls "$first"/reports/run-*.txt | wc -l)" "and does not run it again"
same "$((4 - ndone))" "$(grep -c '	exit 0	' out)" "runs the others"
for w in a b c d; do
	same "$(state single/$w)" "$(state resumed/$w)" "workspace $w: killed and resumed equals the one-machine run"
done
same "4" "$(awk -F '\t' '$2 == 0 { print $1 }' joblog | sort -u | wc -l | tr -d ' ')" "the job log has every workspace done"

# A failing workspace: its code comes through its shard and the run.
conf sharded/c registro_ans 12
shard_c=$(awk -F '\t' '$2 == "sharded/c" { print $1 }' plan)
expect_code 78 "the shard with a broken workspace exits 78" tiss-bureau run --plan plan --shard "$shard_c"
has out "sharded/c	exit 78" "and names it"
other=$((1 - shard_c))
expect_code 0 "the other shard is not affected" tiss-bureau run --plan plan --shard $other
expect_code 64 "a shard out of range" tiss-bureau run --plan plan --shard 2
expect_code 64 "a job array that does not match the plan" env SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=3 tiss-bureau run --plan plan

stop_operator
done_testing
