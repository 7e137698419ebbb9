#!/bin/sh
# tiss-xml: messages the official schema accepts, a hash checked by a
# second computation, the encoding declared, files recorded, a golden
# file, version 3.05.00, refusals; and the safe XML parser.
. "$TISS_SRC/tests/lib.sh"

# A fixed time and zone make the message (and so its hash) reproducible.
SOURCE_DATE_EPOCH=1774951200
TZ=UTC
export SOURCE_DATE_EPOCH TZ

check "workspace ws in lotes, TISS 4.01.00" lotes_workspace ws 4.01.00
mkdir inter
expect_code 0 "tiss-xml writes every closed lote" tiss-xml -C ws --intermediate inter
same 2 "$(wc -l <out | tr -d ' ')" "two files named on stdout"
same "xml_gerado" "$(sql ws 'SELECT DISTINCT status FROM lote')" "lotes are xml_gerado"
for f in $(sql ws 'SELECT xmlArquivo FROM lote'); do
	check "$f validates against the official TISS 4.01.00 schema" \
		xmllint --noout --schema "$TISS_SHARED/4.01.00/tissV4_01_00.xsd" "ws/$f"
	h=$(sql ws "SELECT xmlHash FROM lote WHERE xmlArquivo = '$f'")
	same "$h" "$(tiss_hash "ws/$f")" "$f: the hash agrees with a second computation"
	has "ws/$f" "<ans:hash>$h</ans:hash>" "$f: the hash is in the epilogo"
	case $f in *"_$h.xml") pass "$f: named NUMEROLOTE_HASH.xml" ;; *) fail "$f: name" ;; esac
	same "$(sql ws "SELECT xmlSha256 || ' ' || xmlBytes FROM lote WHERE xmlArquivo = '$f'")" \
		"$(sha256sum <"ws/$f" | cut -d' ' -f1) $(wc -c <"ws/$f" | tr -d ' ')" \
		"$f: SHA-256 and size recorded"
	has "ws/$f" '<?xml version="1.0" encoding="ISO-8859-1"?>' "$f: declares ISO-8859-1"
	check "$f: really is ISO-8859-1 (iconv reads it)" iconv -f ISO-8859-1 -t UTF-8 "ws/$f" -o /dev/null
done
same "" "$(find ws/out -name '*_ws.xml')" "no SOAP copy on disk: tiss-send cuts it from the message"
same "" "$(sql ws 'SELECT soapArquivo FROM lote WHERE soapArquivo IS NOT NULL')" "no soapArquivo recorded"
sed -i 's|^\[operadora\]$|[operadora]\nendpoint = https://127.0.0.1:9/tissLoteGuias|' ws/tiss.conf
expect_code 0 "the loteGuiasWS tiss-send cuts from each file validates against tissWebServicesV4_01_00.xsd" \
	tiss-send -C ws --dry-run
f=$(sql ws "SELECT xmlArquivo FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")
check "accented text is ISO-8859-1 bytes (ç as 0xE7)" grep -q "$(printf 'Restaura\347\343o')" "ws/$f"
for i in inter/*.xml; do
	check "$i: the intermediate validates against xsd/lote.xsd" \
		xmllint --noout --schema "$TISS_SRC/xsd/lote.xsd" "$i"
done

# Golden file: the same lote, the same time, the same bytes.
check "golden file for lote 1 of 10001234" cmp "$TISS_SRC/tests/t1310/10001234-1.expected" "ws/$f"

expect_code 0 "a second run has nothing to do" tiss-xml -C ws
same "" "$(cat out)" "no file written again"

# TISS 3.05.00 also carries the names.
check "workspace v3 in lotes, TISS 3.05.00" lotes_workspace v3 3.05.00
expect_code 0 "tiss-xml with versao_tiss 3.05.00" tiss-xml -C v3
for f in $(sql v3 'SELECT xmlArquivo FROM lote'); do
	check "$f validates against the official TISS 3.05.00 schema" \
		xmllint --noout --schema "$TISS_SHARED/3.05.00/tissV3_05_00.xsd" "v3/$f"
	has "v3/$f" "<ans:Padrao>3.05.00</ans:Padrao>" "$f: Padrao 3.05.00"
done
has "v3/$(sql v3 "SELECT xmlArquivo FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")" \
	"<ans:nomeProfExec>Dr. Jo" "the executing professional's name is there"

# Refusals: a lote that fails a check is not written, and says where.
check "workspace bad in lotes, TISS 4.01.00" lotes_workspace bad 4.01.00
sql bad "UPDATE procedimento SET denteFace = 'XYZ' WHERE codigoProcedimento = '85100099'"
sql bad "UPDATE guia SET cbosExec2 = NULL WHERE numeroGuiaPrestador = 'CLI-779'"
expect_code 65 "lotes that fail checks are refused" tiss-xml -C bad
has err "lote 1 of 10001234: guia GTO-2026-0001: denteFace: 'XYZ' is not 1 to 5 different letters" \
	"the face pattern the XSD lets through is caught, naming guide and field"
has err "lote 1 of 20005678: guia CLI-779: " "a schema error names the guide"
has err "cbosExec2" "... and the field"
same "fechado" "$(sql bad 'SELECT DISTINCT status FROM lote')" "refused lotes stay fechado"
same 0 "$(find bad/out -type f | wc -l | tr -d ' ')" "no file is written for them"

# 101 guides: tiss-lote refuses them, and a lote forced to 101 anyway is
# refused by the official schema (guiaOdonto maxOccurs 100).
tiss-init big >/dev/null
sed -i "s|^#registro_ans =.*|registro_ans = 123456|; s|^#schemas =.*|schemas = $TISS_SHARED/4.03.00|; s|^#tamanho_lote =.*|tamanho_lote = 100|" big/tiss.conf
"$TISS_BUILD/tools/gen-csv" 260 1 >big.csv
tiss-import -q -C big big.csv
tiss-validate -q -C big
set --
for n in $(sql big "SELECT numeroGuiaPrestador FROM guia ORDER BY 1 LIMIT 101"); do
	set -- "$@" --guia "$n"
done
expect_code 65 "a lote of 101 guides is refused" tiss-lote -C big new --competencia 2026-03 "$@"
has err "101 guides, but a lote holds at most 100" "... with the reason"
tiss-lote -q -C big build >/dev/null
sql big "UPDATE guia SET lote_id = 1, status = 'em_lote' WHERE id IN (SELECT id FROM guia LIMIT 101)"
same 101 "$(sql big 'SELECT count(*) FROM guia WHERE lote_id = 1')" "a lote forced to 101 guides"
expect_code 65 "... is refused by the official schema" tiss-xml -C big --lote 1
has err "guiaOdonto" "the schema names the 101st guiaOdonto"

sed -i 's|^schemas = .*|#schemas =|' bad/tiss.conf
expect_code 78 "no schema directory is a configuration error" tiss-xml -C bad
has err "set [operadora] schemas" "... saying what to set"
expect_code 66 "a lote that does not exist" tiss-xml -C ws --lote 99
expect_code 0 "tiss-xml --help" tiss-xml --help
has out "usage: tiss-xml" "... prints the usage on stdout"
expect_code 64 "--lote that is not a number" tiss-xml -C ws --lote x
expect_code 64 "-j 0" tiss-xml -C ws -j 0
expect_code 0 "a named lote already made" tiss-xml -C ws --lote 1 -p 10001234
has err "lote 1 of 10001234 is xml_gerado, not fechado" "... is skipped with a notice"

# The safe parser used for every XML the project reads.
printf '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<x>&e;</x>\n' >xxe.xml
expect_code 65 "an external entity (XXE) is refused" "$TISS_BUILD/tools/xml-parse" xxe.xml
{
	echo '<?xml version="1.0"?>'
	echo '<!DOCTYPE lolz [ <!ENTITY lol "lol">'
	prev=lol
	for i in 1 2 3 4 5 6 7 8 9; do
		echo "<!ENTITY lol$i \"&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;\">"
		prev=lol$i
	done
	echo ']><lolz>&lol9;</lolz>'
} >bomb.xml
expect_code 65 "a billion-laughs bomb is refused" "$TISS_BUILD/tools/xml-parse" bomb.xml
printf '<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "http://127.0.0.1:1/x.dtd">\n<x>ok</x>\n' >dtd.xml
expect_code 0 "an external DTD is not fetched" "$TISS_BUILD/tools/xml-parse" dtd.xml
has out "x: ok" "... and the document is read without it"
printf '<x>unclosed' >bad.xml
expect_code 65 "malformed XML is refused" "$TISS_BUILD/tools/xml-parse" bad.xml

# Parse work is bounded (issue 13 #6): libxml2's duplicate-attribute check
# is quadratic, and one element with 200,000 attributes (2 MB, within the
# size cap) took minutes.  Refused in one linear pass, well within 60 s.
attrs() { awk -v n="$1" -v pre="$2" 'BEGIN { printf "<a%s", pre; for (i = 0; i < n; i++) printf " a%d=\"1\"", i; print "/>" }'; }
attrs 200000 '' >many.xml
expect_code 65 "an element with 200,000 attributes (2 MB) is refused quickly" \
	timeout 60 "$TISS_BUILD/tools/xml-parse" many.xml
has out "line 1: element 'a' has more than 256 attributes" "... saying which element and why"
attrs 200000 ' x=">"' >hidden.xml
expect_code 65 "... also behind a '>' in a quoted value" timeout 60 "$TISS_BUILD/tools/xml-parse" hidden.xml
{ echo "<!DOCTYPE a [<!-- ' -->]>"; attrs 200000 ''; } >comment.xml
expect_code 65 "... and behind a quote in a comment" timeout 60 "$TISS_BUILD/tools/xml-parse" comment.xml
attrs 256 '' >max.xml
expect_code 0 "256 attributes are read" "$TISS_BUILD/tools/xml-parse" max.xml
attrs 257 '' >over.xml
expect_code 65 "257 are not" "$TISS_BUILD/tools/xml-parse" over.xml
done_testing
