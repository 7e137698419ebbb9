#!/bin/sh
# tiss-run and tiss-bureau take what they know from the C side through
# tiss-config: the severity order of tiss(7) (their exit is
# `tiss-config worst` of what their stages or workspaces returned),
# tiss.conf through the one reader (a '# comment' as a value does not
# start a stage), the run report's JSON escaped for any workspace path,
# and the workspace's umask for reports and logs.  The stages are stubs
# here that log their command line and exit as told.
. "$TISS_SRC/tests/lib.sh"

mkdir stub
for s in fetch import validate lote xml send status report; do
	cat >"stub/tiss-$s" <<'SH'
#!/bin/sh
n=$(basename "$0")
echo "$n $*" >>"$STUB_LOG"
eval "c=\${CODE_${n#tiss-}:-0}"
exit "$c"
SH
	chmod +x "stub/tiss-$s"
done
# tiss-run as a stub for tiss-bureau: each workspace says its code.
mkdir bstub
cat >bstub/tiss-run <<'SH'
#!/bin/sh
exit "$(cat "$2/code")"
SH
chmod +x bstub/tiss-run
STUB_LOG=$T_DIR/stub.log
export STUB_LOG
REAL_PATH=$PATH
PATH=$T_DIR/stub:$TISS_SRC/scripts:$PATH

tiss-init -q ws >/dev/null

# run_codes WANT import=C validate=C ...: tiss-run with those stage codes.
run_codes() {
	_want=$1
	shift
	_codes=""
	for _kv in "$@"; do
		_codes="$_codes ${_kv#*=}"
	done
	expect_code "$_want" "stages $* -> tiss-run exits $_want" \
		env $(for _kv in "$@"; do echo "CODE_$_kv"; done) tiss-run -C ws
	# shellcheck disable=SC2086
	same "$(tiss-config worst $_codes)" "$_want" "which is tiss-config worst$_codes"
}
run_codes 75 import=65 validate=75
run_codes 75 import=75 validate=65
run_codes 76 validate=65 xml=76
run_codes 70 import=75 validate=70
run_codes 66 import=66

# tiss.conf through the C reader: a comment is no value.
cat >>ws/tiss.conf <<'CONF'
[eautorizador]
url = # not yet
prestador = 10001234
[operadora]
endpoint = https://op.example/tiss?a=b&c="d e" 'f'
status_endpoint =   # later
CONF
: >"$STUB_LOG"
expect_code 0 "a run with commented-out values" tiss-run -C ws
check "fetch is not started for 'url = # not yet'" sh -c "! grep -q '^tiss-fetch' '$STUB_LOG'"
check "status is not started for 'status_endpoint = # later'" sh -c "! grep -q '^tiss-status' '$STUB_LOG'"
check "send is started: the endpoint (with spaces, '=' and quotes) is set" grep -q '^tiss-send' "$STUB_LOG"
same "https://op.example/tiss?a=b&c=\"d e\" 'f'" "$(tiss-config -C ws get operadora endpoint)" \
	"tiss-config get gives the whole value"
expect_code 1 "tiss-config get: a commented-out value is unset" tiss-config -C ws get eautorizador url
echo "broken line" >>ws/tiss.conf
expect_code 78 "tiss-config get: a bad tiss.conf is 78" tiss-config -C ws get operadora endpoint
has err "tiss.conf:" "naming the file and line"
expect_code 78 "and stops the run before any stage" tiss-run -C ws
sed -i '$d' ws/tiss.conf

# Reports and logs are private whatever the umask.
rm -f ws/reports/run-*
(umask 022 && tiss-run -C ws) >/dev/null 2>&1
same "" "$(find ws/reports -name 'run-*' -perm /077)" "run reports are 0600 under umask 022"
check "there are some" sh -c 'ls ws/reports/run-*.json | grep -q .'

# The run report for a workspace whose path has '"', '\' and a newline.
odd="$T_DIR/we\"ird\\dir
line"
tiss-init -q "$odd" >/dev/null
expect_code 75 "a run in an odd path" env CODE_import=75 tiss-run -C "$odd"
for json in "$odd"/reports/run-*.json; do :; done
check "its JSON is valid (python3 -m json.tool)" python3 -m json.tool "$json"
check "and names the workspace and the exit" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["workspace"] == sys.argv[2], d["workspace"]
assert d["exit"] == 75 and d["stages"][1]["stage"] == "import"
assert d["stages"][1]["exit"] == 75 and d["stages"][0]["exit"] is None
' "$json" "$odd"

# tiss-bureau: the most severe code of its workspaces, by tiss-config.
PATH=$T_DIR/bstub:$TISS_SRC/scripts:$REAL_PATH
for w in a b c d e; do
	tiss-init -q "b$w" >/dev/null
done
echo 75 >ba/code; echo 76 >bb/code; echo 65 >bc/code; echo 70 >bd/code; echo 1 >be/code
expect_code 76 "tiss-bureau: 75, 76, 65 -> 76" tiss-bureau run --jobs 2 ba bb bc
same "$(tiss-config worst 75 76 65)" 76 "as tiss-config worst says"
expect_code 70 "70 and an unknown 1 -> 70 (an unknown code ranks as a bug)" \
	tiss-bureau run --jobs 2 bd be
# The codes come in the order the workspaces finish: on a busy machine
# "be" (1) may end first, and the tie with 70 went to the first one.
same "70 70" "$(tiss-config worst 0 1 70) $(tiss-config worst 0 70 1)" \
	"tiss-config worst: 1 and 70 give 70 in either order"
expect_code 0 "tiss-bureau --help" tiss-bureau --help
PATH=$TISS_SRC/scripts:$REAL_PATH
v=$(cat "$TISS_SRC/VERSION")
for p in tiss-run tiss-watch tiss-bureau tiss-config; do
	expect_code 0 "$p --version" $p --version
	same "$p (tiss) $v" "$(cat out)" "$p: the version of the VERSION file"
done
expect_code 0 "tiss-run --help" tiss-run --help
has out "usage: tiss-run" "usage on stdout"
expect_code 64 "tiss-run -x" tiss-run -x
done_testing
