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
done_testing
