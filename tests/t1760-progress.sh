#!/bin/sh
# Progress where work is long (issue 15 item 7): on a terminal (a pty
# from script(1)) tiss-import, tiss-xml, tiss-send and tiss-bureau show
# counts, rate and time left redrawn in place with \r on stderr; without
# a terminal (cron) nothing of it; tiss-bureau prints one line per
# finished workspace with its outcome and why.
. "$TISS_SRC/tests/lib.sh"
PATH=$TISS_SRC/scripts:$PATH
CR=$(printf '\r')
ESC=$(printf '\033')

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
# tty OUT COMMAND: run COMMAND (a string) on a pseudo-terminal.
tty() {
	out=$1
	shift
	script -qefc "$*" /dev/null >"$out" 2>&1 </dev/null
}

tiss-init ws >/dev/null
conf ws registro_ans 123456
conf ws schemas "$TISS_SHARED/4.03.00"
"$TISS_BUILD/tools/gen-csv" 300 1 >g.csv
check "tiss-import on a terminal" tty imp.tty "tiss-import -C ws g.csv"
has imp.tty "${CR}rows read: 1, " "the row count, redrawn in place"
has imp.tty "/s" "with a rate"
has imp.tty "imported: 300 rows" "then the summary"
has imp.tty "${CR}${ESC}[K20" "the line is erased before the summary"
tiss-init ws2 >/dev/null
expect_code 0 "tiss-import under cron (no terminal)" tiss-import -C ws2 g.csv
check "no progress on a file or pipe" sh -c "! grep -q -e 'rows read' -e \"$CR\" err"

tiss-validate -q -C ws
tiss-lote -q -C ws build >/dev/null
n=$(sql ws "SELECT count(*) FROM lote")
check "tiss-xml on a terminal" tty xml.tty "tiss-xml -C ws"
has xml.tty "${CR}lotes with XML: 1 of " "counts of the total (of this worker's share)"
has xml.tty ", about " "and the time left"

cp pki/ca-client.pem pki/ca-client.key ws/secrets/
conf ws endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias"
conf ws ca_file "$PWD/pki/ca.pem"
conf ws client_cert secrets/ca-client.pem
conf ws client_key secrets/ca-client.key
check "tiss-send on a terminal" tty send.tty "tiss-send -C ws"
has send.tty "${CR}lotes sent: 1 of $n" "lotes sent, of how many"
expect_code 0 "tiss-send -q on a terminal" tty sendq.tty "tiss-send -q -C ws"
check "-q: no progress" sh -c "! grep -q 'lotes sent' sendq.tty"

# tiss-bureau: a line per workspace as it finishes, with why.
bureau_ws b1 30000001 10
bureau_ws b2 30000002 10
conf b2 endpoint "http://127.0.0.1:$OP_PORT/tissLoteGuias"
expect_code 78 "tiss-bureau without a terminal" tiss-bureau run --jobs 1 b1 b2
has out "b1	exit 0	" "a line for the workspace that went well"
check "saying ok" grep -q "^b1	exit 0	[0-9.]* s	ok\$" out
check "a line for the one that stopped, saying why" grep -q "^b2	exit 78	[0-9.]* s	[a-z]*: exit 78 .*https://" out
check "no progress on stderr" sh -c "! grep -q \"$CR\" err"
bureau_ws b3 30000003 10
bureau_ws b4 30000004 10
check "tiss-bureau on a terminal" tty bureau.tty "tiss-bureau run --jobs 1 b3 b4"
has bureau.tty "${CR}tiss-bureau: 1 of 2 workspaces" "progress between the workspaces"
has bureau.tty "s left" "with the time left"
has bureau.tty "b4	exit 0" "and the lines"
stop_operator
done_testing
