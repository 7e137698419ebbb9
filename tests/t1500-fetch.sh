#!/bin/sh
# tiss-fetch against a fake e-Autorizador over HTTPS and from files:
# list, load, --only, idempotence, updates with audit, guides in a lote
# left alone, and every bad answer refused with nothing stored.
. "$TISS_SRC/tests/lib.sh"

NS=urn:tiss:eautorizador:v1

# auth NUMBER GUIDE SITUACAO [CARTEIRA]: one authorization, complete but
# for what the e-Autorizador does not know (cbosExec2 is there; the
# TUSS description is not).
auth() {
	cat <<XML
<autorizacao><numeroGuiaOperadora>$1</numeroGuiaOperadora><numeroGuiaPrestador>$2</numeroGuiaPrestador><situacao>$3</situacao><senhaAutorizacao>S$1</senhaAutorizacao><dataAutorizacao>2026-03-02</dataAutorizacao><validadeSenha>2026-04-30</validadeSenha><dataSolicitacao>2026-03-01</dataSolicitacao><numeroCarteira>${4:-0012345678901234}</numeroCarteira><atendimentoRN>N</atendimentoRN><nomeBeneficiario>Maria José Conceição</nomeBeneficiario><planoBeneficiario>ODONTO PLUS</planoBeneficiario><codigoProfExec>4455</codigoProfExec><nomeProfExec>Dr. João</nomeProfExec><croExec>12345</croExec><ufExec>SP</ufExec><cnesExec>1234567</cnesExec><cbosExec2>223208</cbosExec2><tipoAtendimento>1</tipoAtendimento><tipoFaturamento>4</tipoFaturamento><procedimento><sequencialItem>1</sequencialItem><codigoTabela>22</codigoTabela><codigoProcedimento>81000065</codigoProcedimento><descricaoProcedimento>Consulta odontológica inicial</descricaoProcedimento><qtdProc>1</qtdProc><valorProc>120.00</valorProc><autorizado>S</autorizado><dataRealizacao>2026-03-05</dataRealizacao></procedimento><procedimento><sequencialItem>2</sequencialItem><codigoTabela>22</codigoTabela><codigoProcedimento>85100196</codigoProcedimento><descricaoProcedimento>Restauração em resina fotopolimerizável  1 face</descricaoProcedimento><codDente>36</codDente><denteFace>O</denteFace><qtdProc>1</qtdProc><valorProc>210.50</valorProc><autorizado>S</autorizado><dataRealizacao>2026-03-06</dataRealizacao></procedimento></autorizacao>
XML
}

# page FILE N PAGES TOTAL: a page with the authorizations on stdin.
page() {
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo "<autorizacoes xmlns=\"$NS\" versao=\"1\" prestador=\"10001234\" de=\"2026-03-01\" ate=\"2026-03-31\" tipo=\"odonto\" pagina=\"$2\" paginas=\"$3\" total=\"$4\">"
		cat
		echo '</autorizacoes>'
	} >"$1"
}

check "certificates made" make_pki
mkdir ea
{ auth A-1 G-1 concluida; auth A-2 G-2 abandonada; } | page ea/page-1.xml 1 2 4
{ auth A-3 G-3 em_andamento; auth A-4 G-4 cancelada; } | page ea/page-2.xml 2 2 4
check "the fixtures are valid against the contract" xmllint --noout --schema "$TISS_SRC/xsd/eautorizador-v1.xsd" ea/page-1.xml ea/page-2.xml
echo "10001234:segredo-ea" >ea/credentials
start_eautorizador ea --cert pki/ca-server.pem --key pki/ca-server.key
PORT=$EA_PORT

tiss-init ws >/dev/null
conf ws registro_ans 123456
printf '\n[eautorizador]\nurl = https://127.0.0.1:%s/autorizacoes\nca_file = %s\nprestador = 10001234\ntimeout = 120\nretries = 1\nretry_delay = 0\n' \
	"$PORT" "$PWD/pki/ca.pem" >>ws/tiss.conf
printf 'segredo-ea\n' | tiss-secret -q -C ws set eautorizador

expect_code 64 "a period longer than a month is refused" tiss-fetch -C ws --de 2026-03-01 --ate 2026-04-01
has err "longer than one month" "with a clear message"
check "nothing asked" test ! -e ea/requests.log
expect_code 64 "--ate before --de" tiss-fetch -C ws --de 10/03/2026 --ate 01/03/2026
expect_code 64 "another guide type" tiss-fetch -C ws --de 2026-03-01 --ate 2026-03-31 --tipo sadt

expect_code 0 "--list" env LANG=pt_BR.UTF-8 tiss-fetch -C ws --de 01/03/2026 --ate 31/03/2026 --list
has out "4 autorizações encontradas" "says how many (in Portuguese under pt_BR)"
has out "A-3" "lists every one, the unfinished too"
has out "81000065 (2026-03-05) 85100196@36:O (2026-03-06)" "with its procedures"
same "2" "$(wc -l <ea/requests.log | tr -d ' ')" "both pages asked"
has ea/requests.log "prestador=10001234&de=2026-03-01&ate=2026-03-31&tipo=odonto&pagina=2" "the query as the contract says"
same "0" "$(sql ws 'SELECT count(*) FROM guia')" "--list loads nothing"

expect_code 0 "load" tiss-fetch -C ws --de 2026-03-01 --ate 2026-03-31
same "A-1 G-1: nova
A-2 G-2: nova" "$(cat out)" "the concluded and the abandoned are loaded"
same "G-1|eautorizador|completo|2|33050|N|35
G-2|eautorizador|completo|2|33050|N|35" \
	"$(sql ws "SELECT numeroGuiaPrestador, origem, status, (SELECT count(*) FROM procedimento p WHERE p.guia_id = guia.id), valorTotalProc, atendimentoRN, ufExec FROM guia ORDER BY 1")" \
	"as guides of origin eautorizador, validated, UF as its IBGE code"
has err "2 new" "the summary says what happened"

expect_code 0 "the same period again" tiss-fetch -C ws --de 2026-03-01 --ate 2026-03-31
same "A-1 G-1: igual
A-2 G-2: igual" "$(cat out)" "nothing new"
same "2|4" "$(sql ws 'SELECT count(*), (SELECT count(*) FROM procedimento) FROM guia')" "no duplicate guide or procedure"

# A change upstream is applied and audited; what the clerk filled stays.
tiss-guia -q -C ws set G-1 observacao="conferida" >/dev/null
{ auth A-1 G-1 concluida 0099999999999999; auth A-2 G-2 abandonada; } | page ea/page-1.xml 1 2 4
expect_code 0 "an authorization changed upstream" tiss-fetch -C ws --de 2026-03-01 --ate 2026-03-31
has out "A-1 G-1: alterada" "is reported"
same "numeroCarteira|0012345678901234|0099999999999999|tiss-fetch" \
	"$(sql ws "SELECT campo, antes, depois, fonte FROM auditoria WHERE fonte = 'tiss-fetch' AND campo <> '*'")" \
	"and audited"
same "conferida" "$(sql ws "SELECT observacao FROM guia WHERE numeroGuiaPrestador = 'G-1'")" "the clerk's value is kept"

# A guide in a lote is never overwritten.
tiss-lote -q -C ws build >/dev/null
{ auth A-1 G-1 concluida 0077777777777777; auth A-2 G-2 abandonada; } | page ea/page-1.xml 1 2 4
expect_code 0 "guides in a lote" tiss-fetch -C ws --de 2026-03-01 --ate 2026-03-31
has out "A-1 G-1: em lote" "are left alone"
same "0099999999999999" "$(sql ws "SELECT numeroCarteira FROM guia WHERE numeroGuiaPrestador = 'G-1'")" "unchanged"

# --only.
{ auth A-5 G-5 concluida; auth A-6 G-6 concluida; } | page ea/page-1.xml 1 2 4
expect_code 0 "--only loads the chosen" tiss-fetch -C ws --de 2026-03-01 --ate 2026-03-31 --only A-6
same "A-6 G-6: nova" "$(cat out)" "and only those"
expect_code 65 "--only with an unfinished one" tiss-fetch -C ws --de 2026-03-01 --ate 2026-03-31 --only A-3,A-5
has err "A-3 is em_andamento" "says why it is not loaded"
has out "A-5 G-5: nova" "the other is loaded"

# A number typed by hand is not overwritten by an authorization.
tiss-guia -q -C ws new codigoPrestadorNaOperadora=10001234 numeroGuiaPrestador=G-7 numeroCarteira=1 >/dev/null
auth A-7 G-7 concluida | page ea/page-1.xml 1 1 1
expect_code 65 "a guide number that exists from another origin" tiss-fetch -C ws --de 2026-03-01 --ate 2026-03-31
has err "already exists" "is a conflict, explained"
same "manual" "$(sql ws "SELECT origem FROM guia WHERE numeroGuiaPrestador = 'G-7'")" "the typed guide is kept"

# --from-file.
tiss-init wf >/dev/null
conf wf registro_ans 123456
{ auth A-1 G-1 concluida; auth A-2 G-2 abandonada; } | page export.xml 1 1 2
expect_code 0 "--from-file" tiss-fetch -C wf --from-file export.xml
same "2" "$(sql wf "SELECT count(*) FROM guia WHERE origem = 'eautorizador' AND origemArquivo = 'export.xml'")" "loads an exported answer"
expect_code 0 "--from-file twice" tiss-fetch -C wf --from-file export.xml
same "2" "$(sql wf 'SELECT count(*) FROM guia')" "without duplicates"
expect_code 66 "--from-file missing" tiss-fetch -C wf --from-file nada.xml

# Bad answers: nothing from them is stored.
count() { sql ws 'SELECT count(*) || "/" || (SELECT count(*) FROM procedimento) || "/" || (SELECT count(*) FROM auditoria) FROM guia'; }
before=$(count)
{ auth A-8 G-8 concluida; } | page ea/page-1.xml 1 2 2
bad() {	# bad NAME CODE TEXT: page 2 is bad; page 1 is good but not stored
	expect_code "$2" "$1: exit $2" tiss-fetch -C ws --de 2026-03-01 --ate 2026-03-31
	has err "$3" "$1: explained"
	same "$before" "$(count)" "$1: nothing stored"
}
printf '<autorizacoes xmlns="%s"><autorizacao>' "$NS" >ea/page-2.xml
bad "invalid XML" 76 "not acceptable XML"
echo "<autorizacoes xmlns=\"$NS\" versao=\"1\"/>" >ea/page-2.xml
bad "wrong schema" 76 "not an e-Autorizador v1 answer"
{ echo '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'; echo "<autorizacoes xmlns=\"$NS\">&x;</autorizacoes>"; } >ea/page-2.xml
bad "an external entity" 76 "not acceptable XML"
{
	echo '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
	for i in 1 2 3 4 5 6 7 8 9; do
		echo "<!ENTITY $(printf "\\$(printf %o $((97 + i)))") \"&$(printf "\\$(printf %o $((96 + i)))");&$(printf "\\$(printf %o $((96 + i)))");&$(printf "\\$(printf %o $((96 + i)))");&$(printf "\\$(printf %o $((96 + i)))");&$(printf "\\$(printf %o $((96 + i)))");&$(printf "\\$(printf %o $((96 + i)))");&$(printf "\\$(printf %o $((96 + i)))");&$(printf "\\$(printf %o $((96 + i)))");&$(printf "\\$(printf %o $((96 + i)))");&$(printf "\\$(printf %o $((96 + i)))");\">"
	done
	echo "]><autorizacoes xmlns=\"$NS\">&j;</autorizacoes>"
} >ea/page-2.xml
bad "a billion laughs" 76 "not acceptable XML"
{ auth A-9 G-9 concluida; } | page ea/page-2.xml 2 2 2
printf 'ok\nhuge\n' >ea/modes
bad "a body far beyond the size limit" 76 "larger than 16 MiB"
printf 'ok\ndrip\ndrip\n' >ea/modes
# A byte every 0.2 s: any short time-out ends it.
sed -i 's/^timeout = 120$/timeout = 1/' ws/tiss.conf
bad "a server that drips bytes" 75 "timed out"
sed -i 's/^timeout = 1$/timeout = 120/' ws/tiss.conf
printf 'ok\nhttp500\nhttp500\n' >ea/modes
bad "HTTP 500" 75 "HTTP 500"
printf 'http403\n' >ea/modes
bad "HTTP 403" 77 "refused"
rm -f ea/modes
printf 'outra\n' | tiss-secret -q -C ws set eautorizador
bad "a wrong password (HTTP 401)" 77 "HTTP 401"
printf 'segredo-ea\n' | tiss-secret -q -C ws set eautorizador
sed -i "s|^ca_file = .*|ca_file = $PWD/pki/other.pem|" ws/tiss.conf
bad "a TLS failure (a certificate no CA vouches for)" 69 "certificate"
sed -i "s|^ca_file = .*|ca_file = $PWD/pki/ca.pem|" ws/tiss.conf
chmod 644 ws/secrets/eautorizador
bad "a secret readable by others" 77 "chmod 600"
chmod 600 ws/secrets/eautorizador
expect_code 0 "then a good answer loads" tiss-fetch -C ws --de 2026-03-01 --ate 2026-03-31
has out "A-9 G-9: nova" "both pages"

kill $EA_PID 2>/dev/null
wait $EA_PID 2>/dev/null
done_testing
