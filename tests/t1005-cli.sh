#!/bin/sh
# The command line, parsed by common/cli from each program's one-line
# option declaration: every program's declaration is valid and its
# --help names each declared option; long-only options stay long-only;
# short forms, --name=value, the operand counts, a command's own options
# (tiss-lote list), the filters of tiss-guia, and the shared number
# format.  The declaration parser itself is unit-tested (test-cli).
. "$TISS_SRC/tests/lib.sh"

progs="tiss-init tiss-import tiss-validate tiss-tuss tiss-guia tiss-lote
tiss-xml tiss-send tiss-status tiss-secret tiss-report tiss-fetch
tiss-config tiss-schemas tiss-demonstrativo tiss-recurso tiss-cancela
tiss-portal"

for p in $progs; do
	expect_code 0 "$p: its declaration expands (--bash-completion)" \
	    "$p" --bash-completion
	cp out decl
	missing=""
	# Each option, its long form with its short form when it has one:
	# one of them in the usage.
	"$p" --help >usage 2>&1
	for o in $(awk '/^--/ { if (g) print g; g = $0; next }
	    { g = g "," $0 } END { print g }' decl | sed 's/=//g'); do
		case $o in
		--workspace* | --prestador* | --quiet* | --verbose* | --help* | \
		--version*) continue ;;
		esac
		found=""
		for f in $(echo "$o" | tr , ' '); do
			grep -q -- "$f\\b" usage && found=1
		done
		[ -n "$found" ] || missing="$missing $o"
	done
	same "" "$missing" "$p: its --help names every declared option"
	expect_code 64 "$p: an unknown option is a usage error" "$p" --no-such
	has err "usage: $p" "$p: ... with the usage on stderr"
done

tiss-send --bash-completion >decl
has decl "--lote=" "an option taking an argument ends with '='"
has decl "-n" "a short form is listed"
grep -qx -- "-l=" decl && pass "a short form taking one too" ||
	fail "-l= not listed"

# Short and long forms, as declared; a long-only option has no short form.
expect_code 78 "tiss-send -n -l 3 (short forms) parses" \
    tiss-send -C nowhere -n -l 3
expect_code 78 "tiss-send --dry-run --lote=3 (long forms) parses" \
    tiss-send -C nowhere --dry-run --lote=3
expect_code 78 "an unambiguous abbreviation (--dry) parses" \
    tiss-send -C nowhere --dry --lote 3
expect_code 64 "tiss-fetch --ate is long only: -a is refused" \
    tiss-fetch -C nowhere -a 2026-01-31 -d 2026-01-01
expect_code 64 "tiss-xml --lote is long only: -l is refused" \
    tiss-xml -C nowhere -l 3
expect_code 64 "a missing argument" tiss-send -C nowhere --lote
expect_code 64 "an argument to a flag (--dry-run=x)" \
    tiss-send -C nowhere --dry-run=x

# Operand counts, checked by cli from the spec.
expect_code 64 "tiss-send takes no operand" tiss-send -C nowhere extra
has err "usage: tiss-send" "... and says the usage"
expect_code 64 "tiss-tuss load needs its file" tiss-tuss -C nowhere load
expect_code 64 "tiss-secret needs a command" tiss-secret -C nowhere
expect_code 64 "tiss-report takes at most 2 operands" \
    tiss-report -C nowhere protocolo 1 2

# The shared number format.
expect_code 64 "--jobs 0 is out of range" tiss-xml -C nowhere -j 0
has err "--jobs '0': write a whole number from 1 to 256" \
    "... and the message gives the range"
expect_code 64 "--min-age -1 is refused" tiss-import -C nowhere --inbox \
    --min-age -1
expect_code 64 "--dias 3651 is refused" tiss-report -C nowhere --dias 3651 \
    conciliacao
has err "from 1 to 3650" "... at most 3650 days"

# A command's own options (tiss-lote list) and tiss-guia's filters.
tiss-init ws >/dev/null 2>&1
expect_code 0 "tiss-lote list --help" tiss-lote -C ws list --help
has out "usage: tiss-lote list [--de d --ate d]" "... the command's usage"
expect_code 64 "tiss-lote list --no-such" tiss-lote -C ws list --no-such
has err "usage: tiss-lote list" "... the command's usage on stderr"
expect_code 64 "tiss-lote build takes no operand" tiss-lote -C ws build x
expect_code 0 "tiss-lote build --competencia 03/2026" \
    tiss-lote -C ws build --competencia 03/2026
expect_code 0 "tiss-guia list with filters" \
    tiss-guia -C ws list --status completo --de 2026-01-01 --vazio cbosExec2
expect_code 64 "tiss-guia list --ate with a bad date" \
    tiss-guia -C ws list --ate 2026-13-40
has err "--ate '2026-13-40'" "... the message names the option as given"

done_testing
