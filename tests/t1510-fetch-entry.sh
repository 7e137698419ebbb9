#!/bin/sh
# tiss-fetch and what a page carries (issue 13 #1, #10): the prestador a
# safe folder name, identifiers trimmed and one line, a bad value refusing
# the whole answer; and #5: a kill after the load commit leaves no guide
# unvalidated once tiss-fetch runs again.
. "$TISS_SRC/tests/lib.sh"

NS=urn:tiss:eautorizador:v1

# auth NUMBER GUIDE [CARTEIRA]: one concluded authorization (XML text:
# the arguments may hold character references such as &#10;).
auth() {
	cat <<XML
<autorizacao><numeroGuiaOperadora>$1</numeroGuiaOperadora><numeroGuiaPrestador>$2</numeroGuiaPrestador><situacao>concluida</situacao><senhaAutorizacao>S1</senhaAutorizacao><dataAutorizacao>2026-03-02</dataAutorizacao><validadeSenha>2026-04-30</validadeSenha><dataSolicitacao>2026-03-01</dataSolicitacao><numeroCarteira>${3:-0012345678901234}</numeroCarteira><atendimentoRN>N</atendimentoRN><planoBeneficiario>ODONTO PLUS</planoBeneficiario><codigoProfExec>4455</codigoProfExec><croExec>12345</croExec><ufExec>SP</ufExec><cnesExec>1234567</cnesExec><cbosExec2>223208</cbosExec2><tipoAtendimento>1</tipoAtendimento><tipoFaturamento>4</tipoFaturamento><procedimento><sequencialItem>1</sequencialItem><codigoTabela>22</codigoTabela><codigoProcedimento>81000065</codigoProcedimento><descricaoProcedimento>Consulta odontológica inicial</descricaoProcedimento><qtdProc>1</qtdProc><valorProc>120.00</valorProc><autorizado>S</autorizado><dataRealizacao>2026-03-05</dataRealizacao></procedimento></autorizacao>
XML
}

# page FILE [PRESTADOR]: an exported answer with the authorizations on stdin.
page() {
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo "<autorizacoes xmlns=\"$NS\" versao=\"1\" prestador=\"${2:-10001234}\" de=\"2026-03-01\" ate=\"2026-03-31\" tipo=\"odonto\" pagina=\"1\" paginas=\"1\" total=\"1\">"
		cat
		echo '</autorizacoes>'
	} >"$1"
}

tiss-init ws >/dev/null
conf() { sed -i "s|^#*$1 =.*|$1 = $2|" ws/tiss.conf; }
conf registro_ans 123456
count() { sql ws 'SELECT count(*) || "/" || (SELECT count(*) FROM procedimento) || "/" || (SELECT count(*) FROM auditoria) FROM guia'; }

expect_code 0 "tiss-fetch --help" tiss-fetch --help
has out "usage: tiss-fetch" "prints the usage on stdout"
expect_code 64 "-p with a path" tiss-fetch -C ws -p ../../x --de 2026-03-01 --ate 2026-03-31
has err "-p '../../x'" "... is refused naming it"

# #1: the prestador of an exported answer names the folders of its XML.
before=$(count)
for p in '../../x' 'a/b' '..' 'x y'; do
	auth A-1 G-1 | page p.xml "$p"
	expect_code 65 "an answer for prestador '$p'" tiss-fetch -C ws --from-file p.xml
	has err "prestador attribute: codigoPrestadorNaOperadora '$p'" "... is refused, saying why ('$p')"
	has err "nothing was stored" "... and that nothing was stored ('$p')"
	same "$before" "$(count)" "... nothing stored ('$p')"
done

# #10: identifiers trimmed, one line, printable; a bad one refuses all.
{ auth A-1 G-1; auth A-2 'G-2&#10;X'; } | page nl.xml
expect_code 65 "a guide number with a newline" tiss-fetch -C ws --from-file nl.xml
has err "authorization 2 (A-2): numeroGuiaPrestador 'G-2?X': contains a tab or a line break" \
	"... names the authorization, the field and why"
same "$before" "$(count)" "... and nothing of the answer is stored"
{ auth A-1 G-1; auth A-3 '   '; } | page sp.xml
expect_code 65 "a guide number of only spaces" tiss-fetch -C ws --from-file sp.xml
has err "authorization 2 (A-3): numeroGuiaPrestador is empty" "... is no number"
same "$before" "$(count)" "... nothing stored"
auth A-4 G-4 '0012&#133;345' | page ctl.xml
expect_code 65 "a card number with a control character" tiss-fetch -C ws --from-file ctl.xml
has err "authorization 1 (A-4, guide G-4): numeroCarteira '0012" "... is refused, naming the authorization, the guide and the field"

# A number typed by hand and the same number fetched with blanks around
# it are one guide, not two.
tiss-guia -q -C ws new codigoPrestadorNaOperadora=10001234 numeroGuiaPrestador=G-5 numeroCarteira=1 >/dev/null
auth ' A-5 ' '  G-5 ' | page blank.xml
expect_code 65 "a fetched number with blanks around it" tiss-fetch -C ws --from-file blank.xml
has err "guide G-5 of prestador 10001234 already exists" "... is the typed guide (a conflict, explained)"
same 1 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador LIKE '%G-5%'")" "one guide G-5"
auth ' A-6 ' ' G-6  ' | page blank6.xml
expect_code 0 "blanks around the numbers of a new guide" tiss-fetch -C ws --from-file blank6.xml
same "A-6|G-6" "$(sql ws "SELECT numeroGuiaOperadora, numeroGuiaPrestador FROM guia WHERE numeroGuiaPrestador LIKE '%G-6%'")" \
	"are stored trimmed"
expect_code 0 "the same again" tiss-fetch -C ws --from-file blank6.xml
has out "A-6 G-6: igual" "is the same guide"

# #5: a guide stored but not validated (a kill between the load commit
# and the validation) is validated by the next run, whatever it fetches.
tiss-init wk >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' wk/tiss.conf
{ auth K-1 GK-1; auth K-2 GK-2 | sed 's|<cbosExec2>223208</cbosExec2>||'; } | page k.xml
tiss-fetch -q -C wk --from-file k.xml >/dev/null
clean=$(sql wk "SELECT group_concat(numeroGuiaPrestador || ':' || status || ':' || (SELECT count(*) FROM pendencia p WHERE p.guia_id = g.id), ' ') FROM guia g ORDER BY id")
same "GK-1:completo:0 GK-2:incompleto:1" "$clean" "a clean run validates what it loads"
sql wk "DELETE FROM pendencia; UPDATE guia SET status = 'incompleto', validadoEm = NULL"
auth K-8 'GK&#10;8' | page bad.xml
expect_code 65 "the next run, of a bad answer" tiss-fetch -C wk --from-file bad.xml
same "$clean" "$(sql wk "SELECT group_concat(numeroGuiaPrestador || ':' || status || ':' || (SELECT count(*) FROM pendencia p WHERE p.guia_id = g.id), ' ') FROM guia g ORDER BY id")" \
	"still validates the guides the killed run stored"
sql wk "DELETE FROM pendencia; UPDATE guia SET status = 'incompleto', validadoEm = NULL"
auth K-9 GK-9 | page other.xml
expect_code 0 "the next run, of another answer" tiss-fetch -C wk --from-file other.xml
same "$clean GK-9:completo:0" "$(sql wk "SELECT group_concat(numeroGuiaPrestador || ':' || status || ':' || (SELECT count(*) FROM pendencia p WHERE p.guia_id = g.id), ' ') FROM guia g ORDER BY id")" \
	"validates the guides the killed run stored"
same 0 "$(sql wk "SELECT count(*) FROM guia WHERE validadoEm IS NULL")" "none is left unvalidated"

# The same with a real kill -9 once the load is committed (polled, not
# slept): the rerun ends as a clean run does.
n=90	# under 100: validated guide by guide, the widest window
i=0
while [ $i -lt $n ]; do i=$((i + 1)); auth "B-$i" "GB-$i"; done | page big.xml
tiss-init wb >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' wb/tiss.conf
tiss-init wc >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' wc/tiss.conf
tiss-fetch -q -C wc --from-file big.xml >/dev/null
tiss-fetch -q -C wb --from-file big.xml >/dev/null 2>&1 &
pid=$!
deadline=$(($(date +%s) + 120))
while [ "$(sql wb 'SELECT count(*) FROM guia' 2>/dev/null)" != "$n" ] && [ "$(date +%s)" -lt $deadline ]; do :; done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
echo "# killed after the commit with $(sql wb 'SELECT count(*) FROM guia WHERE validadoEm IS NULL') of $n guides unvalidated"
same "$n" "$(sql wb 'SELECT count(*) FROM guia')" "the load was committed whole"
expect_code 0 "the rerun" tiss-fetch -C wb --from-file big.xml
state() { sql "$1" "SELECT status, count(*), sum(validadoEm IS NULL) FROM guia GROUP BY status"; }
same "$(state wc)" "$(state wb)" "ends as a clean run: every guide validated"
same "$(sql wc 'SELECT count(*) FROM pendencia')" "$(sql wb 'SELECT count(*) FROM pendencia')" "with the same pendências"
done_testing
