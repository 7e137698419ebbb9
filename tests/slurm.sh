# A single-node Slurm cluster for the tests, all under one directory:
# its own munge key and socket, free ports, state, spool and logs; the
# daemons stopped by their PIDs.  Sets SLURM_CONF for sbatch and friends.

# start_slurm DIR: munged, slurmctld and slurmd; returns 1 when the node
# does not come up.
start_slurm() {
	_d=$1
	mkdir -p "$_d/state" "$_d/spool"
	dd if=/dev/urandom bs=1 count=1024 of="$_d/munge.key" 2>/dev/null
	chmod 400 "$_d/munge.key"
	munged --key-file="$_d/munge.key" --socket="$_d/munge.socket" \
		--pid-file="$_d/munged.pid" --log-file="$_d/munged.log" \
		--seed-file="$_d/munge.seed" --force || return 1
	_host=$(uname -n | cut -d. -f1)
	set -- $(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
	cat >"$_d/slurm.conf" <<CONF
ClusterName=tisstest
SlurmctldHost=$_host(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$_d/munge.socket
CredType=cred/munge
StateSaveLocation=$_d/state
SlurmdSpoolDir=$_d/spool
SlurmctldPidFile=$_d/slurmctld.pid
SlurmdPidFile=$_d/slurmd.pid
SlurmctldLogFile=$_d/slurmctld.log
SlurmdLogFile=$_d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=3600
NodeName=$_host NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$_host Default=YES MaxTime=INFINITE State=UP
CONF
	SLURM_CONF=$_d/slurm.conf
	export SLURM_CONF
	slurmctld -f "$SLURM_CONF" || return 1
	slurmd -f "$SLURM_CONF" -N "$_host" || return 1
	# Minutes, not seconds: the daemons start slowly on a busy machine.
	await 300 _node_idle
}

_node_idle() {
	sinfo -h -o %t 2>/dev/null | grep -q idle
}

stop_slurm() {
	scontrol shutdown >/dev/null 2>&1
	for _p in slurmd slurmctld munged; do
		[ -f "$1/$_p.pid" ] || continue
		_pid=$(cat "$1/$_p.pid")
		kill "$_pid" 2>/dev/null
		for _ in $(seq 40); do
			kill -0 "$_pid" 2>/dev/null || break
			sleep 0.25
		done
		kill -9 "$_pid" 2>/dev/null
	done
	return 0
}

# wait_slurm: until the queue is empty (at most 3 minutes).
wait_slurm() {
	for _ in $(seq 360); do
		[ -z "$(squeue -h 2>/dev/null)" ] && return 0
		sleep 0.5
	done
	return 1
}

# exit_of JOBID: a finished job's exit code (ExitCode=N:signal).
exit_of() {
	scontrol -o show job "$1" | sed -n 's/.* ExitCode=\([0-9]*\):.*/\1/p' | head -n 1
}

# task_exits ARRAYJOB: "TASK EXIT" per task of a finished job array.
task_exits() {
	scontrol -o show job "$1" |
		sed -n 's/.* ArrayTaskId=\([0-9]*\) .* ExitCode=\([0-9]*\):.*/\1 \2/p' | sort -n
}
