#!/bin/sh
# tiss-secret: store and rotate secrets atomically with mode 0600, list
# them without values, refuse bad names and empty values.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
expect_code 0 "set a secret from stdin" sh -c 'printf "s3nh@ um\n" | tiss-secret -C ws set senha'
same "s3nh@ um" "$(cat ws/secrets/senha)" "the value is stored"
same "600" "$(stat -c %a ws/secrets/senha)" "with mode 0600"
same "700" "$(stat -c %a ws/secrets)" "in a folder of mode 0700"
check "the value is not in the output" sh -c '! grep -q s3nh err out'
expect_code 0 "rotate it" sh -c 'printf "dois\n" | tiss-secret -C ws set senha'
same "dois" "$(cat ws/secrets/senha)" "the new value replaced the old"
check "no temp file left" sh -c '! ls -A ws/secrets | grep -q tmp'
chmod 644 ws/secrets/senha
expect_code 0 "list" tiss-secret -C ws list
has out "senha" "names the secret"
has out "too open" "flags a mode too open"
check "never shows a value" sh -c '! grep -q dois out'
expect_code 0 "a rotation closes the mode again" sh -c 'printf "tres\n" | tiss-secret -C ws set senha'
same "600" "$(stat -c %a ws/secrets/senha)" "0600"
expect_code 64 "a bad name" sh -c 'printf "x\n" | tiss-secret -C ws set ../etc'
expect_code 65 "an empty value" sh -c 'printf "\n" | tiss-secret -C ws set vazio'
check "nothing stored" test ! -e ws/secrets/vazio
expect_code 64 "no value on the command line" tiss-secret -C ws set senha valor
expect_code 0 "--help exits 0" tiss-secret --help
has out "usage: tiss-secret" "with the usage on stdout"

# An open secrets/ folder is refused, saying how to fix it.
chmod 750 ws/secrets
expect_code 77 "secrets/ that the group can enter: set refused" sh -c 'printf "x\n" | tiss-secret -C ws set outro'
has err "chmod 700" "the message says how to fix it"
check "nothing stored" test ! -e ws/secrets/outro
chmod 705 ws/secrets
expect_code 77 "secrets/ that others can enter: list refused" tiss-secret -C ws list
chmod 700 ws/secrets

# No core dump while the value is in memory: the process's core limit
# is 0 while it waits for the value.
mkfifo value
ulimit -c unlimited 2>/dev/null || ulimit -c 1000000
(ulimit -c) >climit
check "core files are allowed for the test (ulimit -c $(cat climit))" test "$(cat climit)" != 0
tiss-secret -C ws set fifo <value 2>/dev/null &
spid=$!
exec 3>value
core=""
for _ in $(seq 3000); do
	core=$(awk '/^Max core file size/ { print $5 }' /proc/$spid/limits 2>/dev/null)
	[ "$core" = 0 ] && break
	sleep 0.1
done
same "0" "$core" "while reading a secret, no core file can be written"
echo "v" >&3
exec 3>&-
wait $spid
same "v" "$(cat ws/secrets/fifo)" "and the value is stored"
done_testing
