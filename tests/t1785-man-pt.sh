#!/bin/sh
# The Portuguese man pages (docs/man/pt_BR/) follow the English ones: every
# English page has a Portuguese page of the same name and section, and every
# option (.Fl: -x, --long) and command or setting (.Cm, .Ic) the English page
# documents is in the Portuguese one too, so that an option cannot be
# documented in one language only. They install under MANDIR/pt_BR, where
# man(1) shows them with LANG=pt_BR.UTF-8.
. "$TISS_SRC/tests/lib.sh"

MAN=$TISS_SRC/docs/man
# names PAGE: what PAGE documents that is never translated, one per line,
# from mandoc's syntax tree: each option of a .Fl (-x; a run of letters
# such as "qv" is -q and -v; \-long is --long) and each word of a .Cm or .Ic,
# prefixed by its macro.
names() {
	mandoc -Ttree "$1" | awk '
	function indent(s) { match(s, /^ */); return RLENGTH }
	{
		i = indent($0)
		if (mac != "" && i > depth && $0 ~ / \(text\) [0-9]+:[0-9]+( NOSRC)?$/) {
			t = $0
			sub(/^ */, "", t)
			sub(/ \(text\) [0-9]+:[0-9]+( NOSRC)?$/, "", t)
			n = split(t, w, / +/)
			for (k = 1; k <= n; k++) {
				x = w[k]
				if (mac == "Fl") {
					if (x ~ /^\\-[A-Za-z0-9]/) {
						sub(/^\\-/, "", x)
						print "--" x
					} else if (x ~ /^[A-Za-z0-9]+$/)
						for (c = 1; c <= length(x); c++)
							print "-" substr(x, c, 1)
				} else if (x ~ /^[A-Za-z0-9_][A-Za-z0-9_.=\\-]*$/) {
					gsub(/\\-/, "-", x)
					print mac " " x
				}
			}
			next
		}
		mac = ""
		if ($0 ~ /^ *(Fl|Cm|Ic) \(elem\)/) {
			mac = $1
			depth = i
		}
	}' | LC_ALL=C sort -u
}

# title PAGE: the page's .Dt (name and section).
title() {
	sed -n 's/^\.Dt  *//p' "$1"
}

n_en=0
for en in "$MAN"/*.[1-9]; do
	p=${en##*/}
	pt=$MAN/pt_BR/$p
	n_en=$((n_en + 1))
	if [ ! -f "$pt" ]; then
		fail "$p has a Portuguese page: no docs/man/pt_BR/$p"
		continue
	fi
	pass "$p has a Portuguese page"
	same "$(title "$en")" "$(title "$pt")" "$p: same .Dt name and section"
	names "$en" >en.names
	names "$pt" >pt.names
	check "$p: the English page documents something" test -s en.names
	LC_ALL=C comm -23 en.names pt.names >missing
	if [ -s missing ]; then
		fail "$p: every option and command of the English page is in the Portuguese one"
		sed 's/^/# missing in pt_BR: /' missing
	else
		pass "$p: every option and command of the English page is in the Portuguese one"
	fi
done
check "there are English pages" test "$n_en" -gt 10
for pt in "$MAN"/pt_BR/*; do
	check "pt_BR/${pt##*/} translates an English page" test -f "$MAN/${pt##*/}"
done

# A page that dropped an option is caught (the check itself can fail).
grep -v 'Fl \\-modelo' "$MAN/pt_BR/tiss-import.1" >short.1
names "$MAN/tiss-import.1" >en.names
names short.1 >pt.names
check "a page without --modelo is caught" sh -c \
	"LC_ALL=C comm -23 en.names pt.names | grep -qx -- --modelo"

# Installed under MANDIR/pt_BR/manN, and man(1) shows them in Portuguese.
B=${TISS_BUILD#"$TISS_SRC"/}
check "make install DESTDIR=stage PREFIX=/usr" \
	make -s -C "$TISS_SRC" B="$B" install DESTDIR="$T_DIR/stage" PREFIX=/usr
m=$T_DIR/stage/usr/share/man
for pt in "$MAN"/pt_BR/*; do
	p=${pt##*/}
	check "installs pt_BR/man${p##*.}/$p" cmp "$pt" "$m/pt_BR/man${p##*.}/$p"
done
# man-db takes the language from LC_MESSAGES, and falls back to English
# when that locale is not generated (as on a build machine): -L says it then.
if command -v man >/dev/null 2>&1; then
	if locale -a 2>/dev/null | grep -qix 'pt_BR.utf-\{0,1\}8'; then
		set -- env LC_ALL=pt_BR.UTF-8 man
	else
		set -- env LC_ALL=C.UTF-8 man -L pt_BR
	fi
	MANPATH=$m MANWIDTH=80 "$@" tiss-import >man.out 2>man.err
	has man.out "DESCRIÇÃO" "man tiss-import in pt_BR shows the Portuguese page"
	has man.out "--modelo" "... with the options as they are"
	MANPATH=$m MANWIDTH=80 LC_ALL=C.UTF-8 man tiss-import >man.out 2>man.err
	has man.out "DESCRIPTION" "and in C the English one"
	MANPATH=$m MANWIDTH=80 "$@" 5 tiss-csv >man.out 2>man.err
	has man.out "Número da Carteira" "man 5 tiss-csv in pt_BR: the column list"
fi
check "make uninstall removes them" \
	make -s -C "$TISS_SRC" B="$B" uninstall DESTDIR="$T_DIR/stage" PREFIX=/usr
check "no man page is left" sh -c "! find '$m' -type f | grep -q ."
done_testing
