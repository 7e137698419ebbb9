#!/bin/sh
# tiss-report: acompanhamento de lotes and pendências in HTML, CSV and
# text from a real workspace (lotes sent to the fake operator), golden
# files, the data document against xsd/relatorios.xsd, and the HTML in
# a real headless browser (Debian's chromium): printed to A4, its text
# read back, a screenshot kept in $TISS_BUILD/artifacts/.
. "$TISS_SRC/tests/lib.sh"

SOURCE_DATE_EPOCH=1775037600	# 2026-04-01 10:00 UTC
TZ=UTC
export SOURCE_DATE_EPOCH TZ
GOLDEN=$TISS_SRC/tests/t1600

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "workspace with two lotes ready" ready_workspace ws

# Pendências, before the clerk completes GTO-2026-0003.
tiss-init pw >/dev/null
conf pw registro_ans 123456
cp "$SAMPLES/guias-manuais.csv" .
tiss-import -q -C pw guias-manuais.csv
tiss-validate -q -C pw
for f in txt csv html; do
	expect_code 0 "pendencias --format $f" tiss-report -C pw pendencias --format $f -o pend.$f
	check "pendencias $f: golden" cmp "$GOLDEN/pendencias.$f" pend.$f
done
has pend.txt "GTO-2026-0003" "names the incomplete guide"
has pend.csv '"GTO-2026-0003";"csv";"' "one CSV line per pendência"
expect_code 0 "pendencias as data" tiss-report -C pw pendencias --format xml -o pend.xml
check "the data document validates against xsd/relatorios.xsd" xmllint --noout --schema "$TISS_SRC/xsd/relatorios.xsd" pend.xml

# Send, have one glosa, fix the dates the operator and the clock gave.
tiss-send -q -C ws >/dev/null
echo 6 >op/status
echo 10000 >op/glosa
tiss-status -q -C ws >/dev/null
stop_operator
sql ws "UPDATE lote SET dataEnvioLote = '2026-03-31', enviadoEm = '2026-03-31T18:00:00Z', statusConsultadoEm = '2026-04-01T09:30:00Z'"
# A third lote, rejected, to show an error.
sql ws "INSERT INTO lote (codigoPrestadorNaOperadora, numeroLote, competencia, status, criadoEm, alteradoEm, codigoErro, descricaoErro) VALUES ('20005678', 2, '2026-03', 'rejeitado', '2026-03-31', '2026-03-31', '5014', 'código hash inválido')"

for f in txt csv html; do
	expect_code 0 "acompanhamento --format $f" tiss-report -C ws acompanhamento --competencia 03/2026 --format $f -o acomp.$f
	check "acompanhamento $f: golden" cmp "$GOLDEN/acompanhamento.$f" acomp.$f
done
has acomp.txt "TOTAL GERAL (lotes: 3)" "a grand total"
has acomp.txt "SUBTOTAL 10001234 (lotes: 1)" "subtotals per prestador"
has acomp.txt "R\$ 3.420,50" "money as Brazilians write it"
has acomp.txt "6 Pagamento Efetuado" "the operator's status in words"
has acomp.txt "glosa 3007 guia GTO-2026-0001" "the glosas per guide"
has acomp.txt "rejeitado: 5014" "why a lote was rejected"
has acomp.csv '"lote";"10001234";"03/2026";"1";"Enviado";"6";"Pagamento Efetuado";"3";"2085,50";"31/03/2026"' "a CSV line per lote"
expect_code 0 "acompanhamento as data" tiss-report -C ws acompanhamento --competencia 2026-03 --format xml -o acomp.xml
check "the data document validates against xsd/relatorios.xsd" xmllint --noout --schema "$TISS_SRC/xsd/relatorios.xsd" acomp.xml
expect_code 0 "--lote and --prestador" tiss-report -C ws acompanhamento --competencia 03/2026 --lote 2 --prestador 20005678
has out "TOTAL GERAL (lotes: 1)" "only that lote"
expect_code 0 "a month with no lote" tiss-report -C ws acompanhamento --competencia 02/2026
has out "Nenhum lote nesta competência" "says so"
expect_code 64 "a bad month" tiss-report -C ws acompanhamento --competencia 13/2026
expect_code 64 "no month" tiss-report -C ws acompanhamento
# The 2ª via of a protocolo, from the same data document way.
for f in txt html; do
	expect_code 0 "protocolo --format $f" tiss-report -C ws protocolo 1 -p 10001234 --format $f -o prot.$f
	check "protocolo $f: golden" cmp "$GOLDEN/protocolo.$f" prot.$f
done
expect_code 0 "protocolo as data" tiss-report -C ws protocolo 1 -p 10001234 --format xml -o prot.xml
check "the data document validates against xsd/relatorios.xsd" xmllint --noout --schema "$TISS_SRC/xsd/relatorios.xsd" prot.xml
expect_code 64 "protocolo has no CSV" tiss-report -C ws protocolo 1 -p 10001234 --format csv
expect_code 64 "a lote that is not a number" tiss-report -C ws protocolo x1 -p 10001234
expect_code 66 "no such lote" tiss-report -C ws protocolo 99 -p 10001234
has err "no lote numbered 99 of prestador 10001234" "... named"

# Markup in a value is text: the libxml2 serializer escapes it.
sql ws "UPDATE glosa SET descricaoGlosa = '<b>glosa</b> & \"aspas\"'"
expect_code 0 "a glosa with markup in its description" tiss-report -C ws protocolo 1 -p 10001234 --format html -o esc.html
has esc.html "&lt;b&gt;glosa&lt;/b&gt; &amp; \"aspas\"" "the protocolo's HTML escapes it"
check "... and parses" xmllint --html --noout esc.html
expect_code 0 "the same in the acompanhamento" tiss-report -C ws acompanhamento --competencia 2026-03 --format html -o esc2.html
has esc2.html "&lt;b&gt;glosa&lt;/b&gt; &amp;" "the acompanhamento's HTML escapes it"
check "no element came from the data" sh -c '! grep -q "<b>glosa" esc.html esc2.html'

# Times a person reads are in the workspace's zone (fuso_horario), not
# TZ's and not UTC; the data document keeps the exact moment with its
# offset; SOURCE_DATE_EPOCH keeps a report reproducible.
printf '[workspace]\nfuso_horario = America/Manaus\n' >>ws/tiss.conf
expect_code 0 "protocolo with fuso_horario, TZ elsewhere" env TZ=Asia/Tokyo \
	tiss-report -C ws protocolo 1 -p 10001234 --format txt -o manaus.txt
has manaus.txt "Emitida em 01/04/2026 06:00 UTC-04:00." "generated at 06:00 in Manaus (10:00 UTC)"
has manaus.txt "Enviado em                 31/03/2026 14:00 UTC-04:00" "the sending time in Manaus too"
expect_code 0 "again" env TZ=Asia/Tokyo tiss-report -C ws protocolo 1 -p 10001234 --format txt -o manaus2.txt
check "the same bytes (SOURCE_DATE_EPOCH)" cmp manaus.txt manaus2.txt
expect_code 0 "acompanhamento with fuso_horario" tiss-report -C ws acompanhamento --competencia 03/2026 --format html -o manaus.html
has manaus.html "gerado em 01/04/2026 06:00 UTC-04:00" "the HTML says the local time and its offset"
expect_code 0 "the data document" tiss-report -C ws protocolo 1 -p 10001234 --format xml -o manaus.xml
has manaus.xml 'gerado="2026-04-01T06:00:00-04:00"' "keeps the moment with its offset"
check "and validates" xmllint --noout --schema "$TISS_SRC/xsd/relatorios.xsd" manaus.xml
sed -i 's|^fuso_horario = .*|fuso_horario = Nowhere/Atlantis|' ws/tiss.conf
expect_code 0 "a zone without tzdata" tiss-report -C ws protocolo 1 -p 10001234 --format txt -o utc.txt
has utc.txt "Emitida em 01/04/2026 10:00 UTC." "shown in UTC, and said so"
sed -i '/^fuso_horario/d' ws/tiss.conf

# The common options and formats.
expect_code 0 "--help on stdout" tiss-report --help
has out "usage: tiss-report" "... the usage"
expect_code 64 "an unknown format" tiss-report -C ws pendencias --format pdf
has err "choose one of html, csv, txt, xml" "... lists the formats"
expect_code 64 "a bad --lote" tiss-report -C ws acompanhamento --competencia 03/2026 --lote 0
expect_code 0 "--format text is txt" tiss-report -C ws acompanhamento --competencia 03/2026 --format text
has acomp.html "<style>" "the CSS is inline"
check "nothing is fetched from anywhere" sh -c '! grep -E -q "<script|<link|@import|url\\(|src=" acomp.html'

# The HTML in a real browser, with enough lotes for several A4 pages.
tiss-init big >/dev/null
conf big registro_ans 123456
conf big tamanho_lote 1
"$TISS_BUILD/tools/gen-csv" 200 2 >g.csv
tiss-import -q -C big g.csv
tiss-validate -q -C big
tiss-lote -q -C big build >/dev/null
sql big "UPDATE lote SET status = 'enviado', numeroProtocolo = printf('%012d', id), dataEnvioLote = '2026-04-02', statusProtocolo = 3, valorProcessado = 10000, valorGlosa = 0, valorLiberado = 10000"
comp=$(sql big "SELECT competencia FROM lote LIMIT 1")
month=$(echo "$comp" | awk -F- '{print $2 "/" $1}')
nlotes=$(sql big "SELECT count(*) FROM lote WHERE competencia = '$comp'")
tiss-report -C big acompanhamento --competencia "$month" --format html -o big.html
BROWSER="chromium --user-data-dir=$T_DIR/chromium-profile --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-pdf-header-footer --hide-scrollbars"
check "chromium prints it to A4" sh -c "$BROWSER --print-to-pdf=big.pdf file://$PWD/big.html >chromium.log 2>&1 && test -s big.pdf"
pdftotext -layout big.pdf big.txt
pages=$(pdfinfo big.pdf | awk '/^Pages:/ {print $2}')
check "several pages" test "$pages" -ge 3
headed=$(awk -v RS='\f' -v m="competência $month" 'index($0, m) && index($0, "Acompanhamento de Lotes · prestador") {n++} END {print n + 0}' big.txt)
same "$pages" "$headed" "every printed page has the prestador and period at its head"
total=$(sql big "SELECT printf('%d', sum(valorTotalProc)) FROM guia g JOIN lote l ON l.id = g.lote_id WHERE l.competencia = '$comp'" |
	awk '{r = int($1 / 100); c = $1 % 100; s = ""; while (r >= 1000) { s = sprintf(".%03d", r % 1000) s; r = int(r / 1000) } printf "R$ %d%s,%02d\n", r, s, c}')
has big.txt "$total" "the rendered grand total is the database's sum ($total)"
has big.txt "Total geral" "under its heading"
check "$nlotes lotes rendered" test "$(grep -c '^ *[0-9][0-9]* *Enviado' big.txt)" -eq "$nlotes"
mkdir -p "$TISS_BUILD/artifacts"
check "screenshot on a desktop" sh -c "$BROWSER --window-size=1280,1400 --screenshot=$TISS_BUILD/artifacts/acompanhamento.png file://$PWD/acomp.html >>chromium.log 2>&1"
check "screenshot on a phone" sh -c "$BROWSER --window-size=390,844 --screenshot=$TISS_BUILD/artifacts/acompanhamento-phone.png file://$PWD/acomp.html >>chromium.log 2>&1"
check "the screenshots are PNG" sh -c "file $TISS_BUILD/artifacts/acompanhamento.png 2>/dev/null | grep -q PNG || head -c 8 $TISS_BUILD/artifacts/acompanhamento.png | grep -q PNG"
done_testing
