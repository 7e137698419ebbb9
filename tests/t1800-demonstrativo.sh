#!/bin/sh
# tiss-demonstrativo against the fake operator and from a portal's files:
# the demonstrativo de pagamento per guide and item with its glosas and
# the payment; not ready, faults, hostile answers (schema-invalid, wrong
# hash, XXE, huge) refused with nothing stored; the same one twice
# changes nothing; a corrected one replaces the earlier with an audit row.
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "workspace with two lotes ready" ready_workspace ws
conf ws demonstrativo_endpoint "https://127.0.0.1:$OP_PORT/tissSolicitacaoDemonstrativoRetorno"
expect_code 0 "send" tiss-send -q -C ws

demos() { sql ws "SELECT count(*) FROM demonstrativo"; }

expect_code 64 "a period or --pendentes, not both" tiss-demonstrativo -C ws --competencia 03/2026 --protocolo 1
expect_code 64 "--from-file needs files" tiss-demonstrativo -C ws --from-file
expect_code 0 "--help" tiss-demonstrativo --help
has out "usage: tiss-demonstrativo" "usage on stdout"

echo "GTO-2026-0001 1 3007 5000" >op/demo-glosas
echo notready >op/modes
expect_code 75 "not ready yet: 75" tiss-demonstrativo -C ws -p 10001234 --competencia 03/2026
has out "not ready yet (2 Em análise)" "says so"
has out "demonstrativo of 10001234 for 03/2026: not ready yet" "the competência as MM/AAAA"
same "0" "$(demos)" "nothing stored"
same "10001234|pagamento|2026-03|pendente|2" "$(sql ws "SELECT codigoPrestador, tipo, chave, situacao, statusDemonstrativo FROM demonstrativo_pedido")" \
	"the request recorded to ask again"

for mode in invalid badhash xxe huge garbage http500 fault:ErroInesperadoServidor; do
	printf '%s\n%s\n' "$mode" "$mode" >op/modes
	tiss-demonstrativo -C ws >out 2>err
	rc=$?
	case $rc in 75|76) pass "$mode: refused ($rc)" ;; *) fail "$mode: exit $rc"; sed 's/^/# /' err ;; esac
	same "0" "$(demos)" "$mode: nothing stored"
done
same "pendente" "$(sql ws "SELECT situacao FROM demonstrativo_pedido")" "still to ask again"

expect_code 0 "asked again: ready" tiss-demonstrativo -C ws
has out "demonstrativo 000000000777 of 10001234 (pagamento, webservice): 3 guides, liberado R$ 2.035,50, glosa R$ 50,00: stored" "stored, with its totals"
same "recebido" "$(sql ws "SELECT situacao FROM demonstrativo_pedido")" "the request answered"
same "GTO-2026-0001|1|1|3007|procedimentos odontológicos duplicados" \
	"$(sql ws "SELECT g.numeroGuiaPrestador, g.numeroLote, gl.sequencialItem, gl.codigoGlosa, gl.descricaoGlosa FROM demonstrativo_glosa gl JOIN demonstrativo_guia g ON g.id = gl.guia_id")" \
	"the item's glosa with its code and description"
same "8000|8000|5000|3000" "$(sql ws "SELECT i.valorInformado, i.valorProcessado, i.valorGlosa, i.valorLiberado FROM demonstrativo_item i JOIN demonstrativo_guia g ON g.id = i.guia_id WHERE g.numeroGuiaPrestador = 'GTO-2026-0001' AND sequencialItem = 1")" \
	"the item's values"
same "$(date +%F)|001|1234-5|98765-0" "$(sql ws "SELECT DISTINCT dataPagamento, banco, agencia, conta FROM demonstrativo_guia")" \
	"payment date and bank data"

cp op/portal/demonstrativo.xml portal.xml
expect_code 0 "the same demonstrativo from the portal's file" tiss-demonstrativo -C ws --from-file portal.xml
has out "already loaded, unchanged" "changes nothing"
same "1|0" "$(sql ws "SELECT count(*), (SELECT count(*) FROM demonstrativo_auditoria) FROM demonstrativo")" "no new row, no audit"

echo "GTO-2026-0001 1 3007 7000" >op/demo-glosas
expect_code 0 "a corrected demonstrativo" tiss-demonstrativo -C ws -p 10001234 --competencia 2026-03
has out "a corrected one: replaced the earlier (audited)" "replaces"
same "1|7000" "$(sql ws "SELECT count(*), sum(i.valorGlosa) FROM demonstrativo d JOIN demonstrativo_guia g ON g.demonstrativo_id = d.id JOIN demonstrativo_item i ON i.guia_id = g.id WHERE i.valorGlosa > 0")" \
	"the new values only"
same "000000000777|203550|201550|webservice|webservice" "$(sql ws "SELECT numero, liberadoAntes, liberadoDepois, origemAntes, origemDepois FROM demonstrativo_auditoria")" \
	"with an audit row"

# The demonstrativo de análise of a protocolo, slowly answered.
echo slow >op/modes
expect_code 0 "the análise of protocolo 1, answered slowly" tiss-demonstrativo -C ws -p 10001234 --protocolo 000000000001
has out "demonstrativo A000000000001 of 10001234 (análise, webservice): 3 guides, liberado R$ 2.015,50, glosa R$ 70,00: stored" "stored"
same "GTO-2026-0001|1|3007|7000|1000" "$(sql ws "SELECT g.numeroGuiaPrestador, gl.sequencialItem, gl.codigoGlosa, i.valorGlosa, i.valorLiberado FROM demonstrativo d JOIN demonstrativo_guia g ON g.demonstrativo_id = d.id JOIN demonstrativo_glosa gl ON gl.guia_id = g.id JOIN demonstrativo_item i ON i.guia_id = g.id AND i.sequencialItem = gl.sequencialItem WHERE d.tipo = 'analise'")" \
	"per item with its glosa"
same "201550" "$(sql ws "SELECT sum(liberado) FROM conciliacao_guia WHERE prestador = '10001234'")" "the pagamento one still rules the reconciliation"

# Hostile files: nothing stored, the file left whole.
cp portal.xml edited.xml
sed -i "s/<ans:banco>001</<ans:banco>237</" edited.xml
expect_code 65 "an edited file (wrong hash)" tiss-demonstrativo -C ws --from-file edited.xml
has err "hash is wrong" "says why"
printf '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<x>&e;</x>\n' >xxe.xml
expect_code 65 "an XXE file" tiss-demonstrativo -C ws --from-file xxe.xml
sed 's/<ans:numeroDemonstrativo>/<ans:foo>1<\/ans:foo><ans:numeroDemonstrativo>/' portal.xml >invalid.xml
expect_code 65 "a schema-invalid file" tiss-demonstrativo -C ws --from-file invalid.xml
head -c 17000000 /dev/zero >huge.xml
expect_code 65 "a huge file" tiss-demonstrativo -C ws --from-file huge.xml
expect_code 66 "a missing file" tiss-demonstrativo -C ws --from-file nao-existe.xml
same "2|1" "$(sql ws "SELECT count(*), (SELECT count(*) FROM demonstrativo_auditoria) FROM demonstrativo")" "nothing stored by any"

# One answer may hold several análises (up to 30): each is stored.
echo twice >op/modes
expect_code 0 "an answer holding two análises" tiss-demonstrativo -C ws -p 10001234 --protocolo 000000000001
has out "demonstrativo A000000000001 of 10001234 (análise, webservice): 3 guides, liberado R\$ 2.015,50, glosa R\$ 70,00: already loaded, unchanged" "the first, already stored"
has out "demonstrativo B000000000001 of 10001234 (análise, webservice): 3 guides, liberado R\$ 2.015,50, glosa R\$ 70,00: stored" "the second, stored"
same "A000000000001 B000000000001" "$(sql ws "SELECT group_concat(numero, ' ') FROM (SELECT numero FROM demonstrativo WHERE tipo = 'analise' ORDER BY numero)")" "both análises in the database"

# Regression: two prestadores' demonstrativos with the same number are
# two demonstrativos, not a correction of one another.
expect_code 0 "every prestador's demonstrativo" tiss-demonstrativo -C ws --competencia 03/2026
has out "demonstrativo 000000000777 of 20005678 (pagamento, webservice): 2 guides, liberado R$ 1.335,00, glosa R$ 0,00: stored" "the other prestador's stored"
has out "demonstrativo 000000000777 of 10001234 (pagamento, webservice): 3 guides, liberado R$ 2.015,50, glosa R$ 70,00: already loaded, unchanged" "the first one unchanged"
same "2|1" "$(sql ws "SELECT count(*), (SELECT count(*) FROM demonstrativo_auditoria) FROM demonstrativo WHERE tipo = 'pagamento'")" "both kept, no new audit row"

stop_operator
done_testing
