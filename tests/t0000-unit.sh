#!/bin/sh
# C unit tests of the shared library; each binary prints TAP, renumbered here.
. "$TISS_SRC/tests/lib.sh"

for t in "$TISS_BUILD"/tests/test-*; do
	"$t" >unit.out 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) pass "${t##*/}: ${line#ok * - }" ;;
		"not ok "*) fail "${t##*/}: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <unit.out
	[ $rc -eq 0 ] || fail "${t##*/} exited $rc"
done
done_testing
