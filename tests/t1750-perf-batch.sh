#!/bin/sh
# Issue 17: tiss-xml writes lotes in batches (their files flushed
# together, then one transaction records them): a kill while a batch is
# only partly written leaves nothing recorded and nothing the next run
# does not remove; the database never names a file that is not on disk.
# The page cache setting ([workspace] cache_mb) is checked.  The
# acompanhamento rendered in parts is byte for byte the whole render.
. "$TISS_SRC/tests/lib.sh"

SOURCE_DATE_EPOCH=1774951200
TZ=UTC
export SOURCE_DATE_EPOCH TZ

# wait_reads N: poll for N lotes read under pause/, for up to 120 s.
wait_reads() {
	_i=0
	while [ "$(ls pause | grep -c '^read-')" -lt "$1" ] && [ $_i -lt 1200 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ "$(ls pause | grep -c '^read-')" -ge "$1" ]
}

"$TISS_BUILD/tools/gen-csv" 400 3 >g.csv
tiss-init ws >/dev/null
sed -i "s|^#registro_ans =.*|registro_ans = 123456|; s|^#schemas =.*|schemas = $TISS_SHARED/4.03.00|; s|^#tamanho_lote =.*|tamanho_lote = 20|" ws/tiss.conf
tiss-import -q -C ws g.csv
tiss-validate -q -C ws
tiss-lote -q -C ws build >/dev/null
nl=$(sql ws "SELECT count(*) FROM lote")
[ "$nl" -ge 4 ] && pass "$nl lotes to write" || fail "$nl lotes, want 4 or more"

# Kill tiss-xml while it waits before its third lote: the files of the
# first two are written (temp files, not yet flushed nor recorded).
mkdir pause
TISS_TEST_XML_PAUSE=$PWD/pause tiss-xml -q -C ws -j 1 >xml.out 2>xml.err &
pid=$!
for k in 1 2; do
	wait_reads $k || break
	for r in pause/read-*; do touch "pause/go-${r#pause/read-}"; done
done
check "tiss-xml has written two lotes and read a third" wait_reads 3
tmp=$(find ws/out -name '.*.tmp' -type f | wc -l | tr -d ' ')
same 2 "$tmp" "the two lotes' files are temp files, not yet in place"
same 0 "$(sql ws "SELECT count(*) FROM lote WHERE xmlArquivo IS NOT NULL")" \
	"... and the database names none of them"
kill -9 $pid
wait $pid 2>/dev/null
same 0 "$(sql ws "SELECT count(*) FROM lote WHERE status = 'xml_gerado'")" \
	"killed: no lote recorded"
printf '[workspace]\ncache_mb = 6\n' >>ws/tiss.conf
expect_code 0 "the next tiss-xml writes every lote" tiss-xml -v -j 2 -C ws
has err "2 workers, a page cache of 3 MiB each" "its workers share cache_mb"
same "$nl" "$(sql ws "SELECT count(*) FROM lote WHERE status = 'xml_gerado'")" \
	"every lote is xml_gerado"
same 0 "$(find ws/out -name '.*.tmp' | wc -l | tr -d ' ')" "no temp file is left"
missing=0
for f in $(sql ws "SELECT xmlArquivo FROM lote"); do
	[ -s "ws/$f" ] || missing=$((missing + 1))
done
same 0 "$missing" "every file the database names is on disk"
same "$nl" "$(find ws/out -type f -name '*.xml' | wc -l | tr -d ' ')" \
	"and there is no other file in out/"
ok=0
for f in $(sql ws "SELECT xmlArquivo FROM lote"); do
	xmllint --noout --schema "$TISS_SHARED/4.03.00/tissV4_03_00.xsd" "ws/$f" 2>/dev/null || ok=1
done
same 0 "$ok" "every lote's XML is valid against the official schema"

# The page cache setting.
sed -i 's/^cache_mb = 6$/cache_mb = 0/' ws/tiss.conf
expect_code 78 "cache_mb = 0 is refused" tiss-lote -C ws list
has err "cache_mb" "... naming the setting"
sed -i 's/^cache_mb = 0$/cache_mb = 64/' ws/tiss.conf
expect_code 0 "cache_mb = 64 is taken" tiss-lote -q -C ws list

# The acompanhamento in parts (one per prestador) against the whole
# render of the same data document (--format xml through xsltproc).
sql ws "UPDATE lote SET competencia = '2026-03'" >/dev/null
check "the data document" tiss-report -C ws acompanhamento --competencia 03/2026 --format xml -o a.xml
for f in html csv txt; do
	check "acompanhamento $f in parts" tiss-report -C ws acompanhamento --competencia 03/2026 --format $f -o parts.$f
	xsltproc "$TISS_DATADIR/xslt/report-$f.xsl" a.xml >whole.$f 2>/dev/null
	check "... the same bytes as the whole render ($f)" cmp whole.$f parts.$f
done
done_testing
