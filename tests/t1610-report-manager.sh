#!/bin/sh
# tiss-report for a manager (issue 15 item 8): sums of values the
# operator has not given yet are "—", sums of values some lotes gave are
# marked partial (never a false zero); the guide's glosa amount is
# shown; an ambiguous lote number asks for --prestador (64, naming
# them); on a phone-sized window the columns that matter fit without
# sideways scrolling (measured in headless chromium; screenshots in
# $TISS_BUILD/artifacts/).
. "$TISS_SRC/tests/lib.sh"

SOURCE_DATE_EPOCH=1775037600	# 2026-04-01 10:00 UTC
TZ=UTC
export SOURCE_DATE_EPOCH TZ

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "workspace with two lotes ready" ready_workspace ws
comp=$(sql ws "SELECT competencia FROM lote LIMIT 1")
month=$(echo "$comp" | awk -F- '{print $2 "/" $1}')
report() {
	tiss-report -C ws acompanhamento --competencia "$month" --format "$1" -o "acomp.$1"
}

# Nothing known: built, not sent.
check "report before sending" report xml
check "the data document validates" xmllint --noout --schema "$TISS_SRC/xsd/relatorios.xsd" acomp.xml
same "0" "$(xmllint --xpath 'count(//total/@processado | //total/@glosa | //total/@liberado | //subtotal/@liberado)' acomp.xml)" \
	"no sum of values the operator has not given"
check "report txt" report txt
has acomp.txt "TOTAL GERAL (lotes: 2)" "the total line"
check "no false R\$ 0,00 in the totals" sh -c "! grep -E '^(TOTAL|SUBTOTAL).*R\\\$ 0,00' acomp.txt"
check "the total's unknown values are —" sh -c "grep '^TOTAL GERAL' acomp.txt | grep -q '—'"

# Sent, and the status of one lote known: partial sums.
expect_code 0 "send" tiss-send -C ws
echo 6 >op/status
echo 10000 >op/glosa
expect_code 0 "the status of one lote" tiss-status -C ws --lote 1 -p 10001234
check "report xml" report xml
check "the data document validates" xmllint --noout --schema "$TISS_SRC/xsd/relatorios.xsd" acomp.xml
same "sim|sim|sim" "$(xmllint --xpath 'string(//total/@processadoParcial)' acomp.xml)|$(xmllint --xpath 'string(//total/@glosaParcial)' acomp.xml)|$(xmllint --xpath 'string(//total/@liberadoParcial)' acomp.xml)" \
	"the total is partial"
same "" "$(xmllint --xpath 'string(//subtotal[../@codigo = "10001234"]/@liberadoParcial)' acomp.xml)" \
	"the known prestador's subtotal is whole"
same "0" "$(xmllint --xpath 'count(//prestador[@codigo = "20005678"]/subtotal/@liberado)' acomp.xml)" \
	"the other's subtotal is unknown"
check "report txt" report txt
has acomp.txt "R\$ 100,00*" "a partial sum is marked"
has acomp.txt "* parcial:" "and explained"
check "report html" report html
has acomp.html '<span class="parc">parcial</span>' "HTML says parcial"
has acomp.html "glosa da guia: R\$" "the guide's glosa amount is shown"
check "report csv" report csv
check "the CSV total has empty cells, not zeros, where unknown" sh -c "grep '^\"total\"' acomp.csv | grep -q '\"\";\"\";\"\";\"\"'"

# The 2ª via: an ambiguous number asks which prestador.
expect_code 64 "protocolo 1 of two prestadores" tiss-report -C ws protocolo 1
has err "10001234, 20005678" "names them"
has err "--prestador" "and says how to choose"
expect_code 0 "with --prestador" tiss-report -C ws protocolo 1 --prestador 10001234 --format txt -o prot.txt
check "MM/AAAA" grep -Eq "Competência +$month" prot.txt
check "dates as dd/mm/aaaa" grep -Eq 'Data de envio do lote +[0-9]{2}/[0-9]{2}/[0-9]{4}' prot.txt
stop_operator

# On a phone: nothing scrolls sideways (the page, or a table in its
# .wrap), measured by the browser in a 390 px frame (headless chromium
# keeps a window at least 500 px wide); protocolo, processado, glosa and
# liberado are there.
BROWSER="chromium --user-data-dir=$T_DIR/chromium-profile --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars"
S='<script>var m = document.documentElement.scrollWidth - window.innerWidth; document.querySelectorAll(".wrap").forEach(function (w) { m = Math.max(m, w.scrollWidth - w.clientWidth); }); parent.postMessage(String(m), "*");</script></body>'
sed "s|</body>|$S|" acomp.html >probe.html
cat >frame.html <<'HTML'
<!DOCTYPE html><html><head><title>-</title></head><body style="margin:0"><script>addEventListener("message", function (e) { document.title = "W=" + e.data; });</script><iframe src="probe.html" width="390" height="844" style="border:0"></iframe></body></html>
HTML
check "chromium measures the report in a 390 px frame" sh -c "$BROWSER --virtual-time-budget=5000 --dump-dom file://$PWD/frame.html >dom.html 2>chromium.log"
w=$(sed -n 's|.*<title>W=\([0-9-]*\)</title>.*|\1|p' dom.html)
check "no sideways scrolling on a phone (overflow: ${w:-none} px)" test -n "$w" -a "${w:-1}" -le 0
same "4" "$(grep -Eo '<th scope="col"( class="n")?>(Protocolo|Processado|Glosa|Liberado)</th>' acomp.html | sort -u | wc -l | tr -d ' ')" \
	"protocolo, processado, glosa and liberado are not hidden on a phone"
mkdir -p "$TISS_BUILD/artifacts"
check "phone screenshot, partial totals" sh -c "$BROWSER --window-size=390,844 --screenshot=$TISS_BUILD/artifacts/acompanhamento-parcial-phone.png file://$PWD/acomp.html >>chromium.log 2>&1"
check "desktop screenshot, partial totals" sh -c "$BROWSER --window-size=1280,900 --screenshot=$TISS_BUILD/artifacts/acompanhamento-parcial.png file://$PWD/acomp.html >>chromium.log 2>&1"
done_testing
