#!/bin/sh
# tiss-validate's rules: for each rule code, a guide that fails it and a
# guide that passes.  Guides are made with tiss-guia new from a complete
# base guide with some fields replaced.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' ws/tiss.conf
tiss-tuss -q -C ws load "$TISS_SHARED/tuss/tabela_22_procedimentos_eventos_saude.csv"

base() {
	cat <<'FIELDS'
codigoPrestadorNaOperadora=900
numeroCarteira=0001
atendimentoRN=N
planoBeneficiario=Odonto Essencial
codigoProfExec=1
croExec=123
ufExec=SP
cnesExec=1234567
cbosExec2=223208
tipoAtendimento=1
tipoFaturamento=4
dataAutorizacao=01/03/2026
validadeSenha=31/03/2026
sequencialItem=1
codigoTabela=22
codigoProcedimento=85100099
descricaoProcedimento=Restauração de amálgama  - 1 face
codDente=36
denteFace=O
qtdProc=1
valorProc=80,00
autorizado=S
dataRealizacao=10/03/2026
FIELDS
}

# mk NUM [campo=valor...]: a new guide NUM from the base, with the given
# fields replaced ("campo=" leaves it empty).
mk() {
	_num=$1
	shift
	base >args.base
	: >args.over
	for _a in "$@"; do echo "$_a" >>args.over; done
	awk -F= 'FILENAME == "args.over" { over[$1] = 1; next } !($1 in over)' \
		args.over args.base >args.all
	cat args.over >>args.all
	set -- "numeroGuiaPrestador=$_num"
	while IFS= read -r _l; do set -- "$@" "$_l"; done <args.all
	tiss-guia -C ws new "$@" >out 2>err
}

rules() {
	sql ws "SELECT group_concat(regra, ',') FROM (SELECT p.regra FROM pendencia p JOIN guia g ON g.id = p.guia_id WHERE g.numeroGuiaPrestador = '$1' ORDER BY p.n)"
}
status() {
	sql ws "SELECT status FROM guia WHERE numeroGuiaPrestador = '$1'"
}

# fails RULE NUM [campo=valor...]: the guide is incompleto and has RULE.
fails() {
	_rule=$1
	shift
	mk "$@"
	_got=$(rules "$1")
	case ",$_got," in
	*",$_rule,"*) pass "$_rule fails: $*" ;;
	*) fail "$_rule fails: $*: pendências '$_got'" ;;
	esac
	same incompleto "$(status "$1")" "$_rule: $1 is incompleto"
}

# passes RULE NUM [campo=valor...]: the guide is completo, without RULE.
passes() {
	_rule=$1
	shift
	mk "$@"
	_got=$(rules "$1")
	case ",$_got," in
	*",$_rule,"*) fail "$_rule passes: $*: pendências '$_got'" ;;
	*) pass "$_rule passes: $*" ;;
	esac
	same completo "$(status "$1")" "$_rule: $1 is completo"
}

# warns RULE NUM [campo=valor...]: RULE is reported as aviso, guide completo.
warns() {
	_rule=$1
	shift
	mk "$@"
	same "aviso" "$(sql ws "SELECT severidade FROM pendencia p JOIN guia g ON g.id = p.guia_id WHERE g.numeroGuiaPrestador = '$1' AND regra = '$_rule'")" \
		"$_rule warns: $*"
	same completo "$(status "$1")" "$_rule: an aviso does not block $1"
}

passes ALL ok-base
same "" "$(rules ok-base)" "the base guide has no pendência"
same 0 "$(cat out >/dev/null; tiss-guia -C ws show ok-base >/dev/null; echo $?)" "show works"
same 35 "$(sql ws "SELECT ufExec FROM guia WHERE numeroGuiaPrestador = 'ok-base'")" \
	"UF given as SP is stored as its IBGE code"
same 8000 "$(sql ws "SELECT valorTotalProc FROM guia WHERE numeroGuiaPrestador = 'ok-base'")" \
	"valorTotalProc is computed"

fails V102 req-carteira numeroCarteira=
fails V102 req-cbos cbosExec2=
fails V102 req-valor valorProc=
fails V102 req-data dataRealizacao=
fails V103 len-carteira numeroCarteira=123456789012345678901
passes V103 len-carteira-ok numeroCarteira=12345678901234567890
fails V103 len-cnes cnesExec=12345678
fails V104 uf-bad ufExec=ZZ
passes V104 uf-code ufExec=35
fails V105 cbo-medico cbosExec2=225125
passes V105 cbo-dentista cbosExec2=223293
fails V106 atend-6 tipoAtendimento=6
passes V106 atend-5 tipoAtendimento=5
fails V107 fat-2 tipoFaturamento=2
passes V107 fat-1 tipoFaturamento=1
fails V108 no-proc sequencialItem= codigoTabela= codigoProcedimento= \
	descricaoProcedimento= codDente= denteFace= qtdProc= valorProc= \
	autorizado= dataRealizacao=
warns V109 total-diff valorTotalProc=90,00
passes V109 total-same valorTotalProc=80,00
fails V201 tabela-23 codigoTabela=23
passes V201 tabela-90 codigoTabela=90 codigoProcedimento=X1
fails V202 tuss-none codigoProcedimento=89999999
passes V202 tuss-ok codigoProcedimento=85100099
fails V203 tuss-ended codigoProcedimento=82000239 "descricaoProcedimento=Biópsia de boca" codDente= denteFace=
fails V203 tuss-not-yet dataRealizacao=01/01/2009 dataAutorizacao= validadeSenha=
warns V204 descr-other "descricaoProcedimento=Outra coisa"
passes V204 descr-spelling "descricaoProcedimento=RESTAURACAO DE AMALGAMA - 1 FACE"
passes V102 descr-filled descricaoProcedimento=
same "Restauração de amálgama  - 1 face" \
	"$(sql ws "SELECT descricaoProcedimento FROM procedimento p JOIN guia g ON g.id = p.guia_id WHERE numeroGuiaPrestador = 'descr-filled'")" \
	"an empty description is taken from the TUSS table"
same "tiss-guia new" "$(sql ws "SELECT substr(fonte, 1, 13) FROM auditoria a JOIN guia g ON g.id = a.guia_id WHERE numeroGuiaPrestador = 'descr-filled' AND campo LIKE '%descricao%'")" \
	"... and the audit says so"
fails V205 dente-10 codDente=10
passes V205 dente-48 codDente=48
passes V205 dente-decid codDente=54
fails V206 regiao-xx codRegiao=XX codDente= denteFace=
passes V206 regiao-as codRegiao=AS codDente= denteFace=
fails V207 dente-e-regiao codRegiao=AS
fails V208 face-xyz denteFace=XYZ
fails V208 face-6 denteFace=OLMVDI
passes V208 face-mod denteFace=MOD
fails V209 face-rep denteFace=MOOD
fails V210 face-sem-dente codDente=
fails V211 qtd-0 qtdProc=0
fails V211 qtd-100 qtdProc=100
passes V211 qtd-99 qtdProc=99
fails V212 valor-0 valorProc=0
# The limits of TISS 4.03.00, the default (t1330 checks each version's).
fails V212 valor-max valorProc=100.000.000,00
passes V212 valor-limit valorProc=99.999.999,99
fails V212 franquia valorFranquia=100.000.000,00
fails V213 futuro dataRealizacao=01/01/2099 validadeSenha=
fails V214 antes-aut dataRealizacao=28/02/2026
passes V214 no-dia-aut dataRealizacao=01/03/2026
fails V215 apos-valid dataRealizacao=01/04/2026
passes V215 no-dia-valid dataRealizacao=31/03/2026
fails V216 seq-grande sequencialItem=10000

# V110: a character a TISS message (ISO-8859-1) cannot carry used to pass
# here and fail the whole lote at tiss-xml naming no guide.
RLO=$(printf '\342\200\256')		# U+202E RIGHT-TO-LEFT OVERRIDE
ZWSP=$(printf '\342\200\213')		# U+200B ZERO WIDTH SPACE
EMOJI=$(printf '\360\237\230\200')	# U+1F600
fails V110 chars-rlo "nomeBeneficiario=Ana${RLO}oiac"
same "nomeBeneficiario|V110|erro|Ana<U+202E>oiac" \
	"$(sql ws "SELECT campo, regra, severidade, valor FROM pendencia p JOIN guia g ON g.id = p.guia_id WHERE numeroGuiaPrestador = 'chars-rlo'")" \
	"V110 names the field; the value shows the character escaped"
same "caractere U+202E na posição 4: a TISS (ISO-8859-1) não o aceita; apague-o ou digite o texto de novo" \
	"$(sql ws "SELECT mensagem FROM pendencia p JOIN guia g ON g.id = p.guia_id WHERE numeroGuiaPrestador = 'chars-rlo'")" \
	"... and the message says which character, where, and what to do"
fails V110 chars-zwsp "descricaoProcedimento=Restauração de amálgama${ZWSP} - 1 face"
same "procedimentosExecutados[1].descricaoProcedimento|Restauração de amálgama<U+200B> - 1 face" \
	"$(sql ws "SELECT campo, valor FROM pendencia p JOIN guia g ON g.id = p.guia_id WHERE numeroGuiaPrestador = 'chars-zwsp' AND regra = 'V110'")" \
	"V110 in a procedure names its path"
fails V110 chars-emoji "planoBeneficiario=Odonto ${EMOJI}${EMOJI}"
same "Odonto <U+1F600><U+1F600>|caractere U+1F600 na posição 8: a TISS (ISO-8859-1) não o aceita; apague-o ou digite o texto de novo" \
	"$(sql ws "SELECT valor, mensagem FROM pendencia p JOIN guia g ON g.id = p.guia_id WHERE numeroGuiaPrestador = 'chars-emoji'")" \
	"an emoji is one character, each one escaped"
fails V110 chars-obs "observacao=linha${ZWSP}"
passes V110 chars-latin1 "nomeBeneficiario=João Ürsula Çãõ ñ ÿ" "observacao=1ª via, 2º andar; 50% ± 5 °C × ÷"

# Rules across procedures: add a second procedure to a complete guide.
mk two
expect_code 65 "a repeated sequencialItem" tiss-guia -C ws add-proc two \
	sequencialItem=1 codigoTabela=22 codigoProcedimento=81000421 \
	qtdProc=1 valorProc=35 autorizado=S dataRealizacao=10/03/2026 codDente=11
same "V216" "$(rules two)" "V216 fails: sequencialItem 1 twice"
same "V216" "$(sed -n 's/.*erro \(V216\) procedimentosExecutados\[2\].*/\1/p' out)" \
	"the pendência names procedimentosExecutados[2]"
expect_code 65 "an ambiguous sequencialItem is refused" \
	tiss-guia -C ws set two --proc 1 qtdProc=2
has err "has 2 procedures with sequencialItem 1; name one as #K" "... saying how to name one"
expect_code 0 "V216 passes once the second is renumbered" \
	tiss-guia -C ws set two --proc '#2' sequencialItem=2
same "" "$(rules two)" "V216 passes: items 1 and 2"
expect_code 0 "tiss-validate --guia revalidates one guide" tiss-validate -C ws --guia two
has err "checked 1 guide: 1 completo" "... and says so"

mk dup
expect_code 0 "the same procedure twice is only an aviso" tiss-guia -C ws add-proc dup \
	sequencialItem=2 codigoTabela=22 codigoProcedimento=85100099 codDente=36 \
	denteFace=O qtdProc=1 valorProc=80 autorizado=S dataRealizacao=10/03/2026
same "V217" "$(rules dup)" "V217 warns: same code, tooth, face and date"
mk nodup
tiss-guia -C ws add-proc nodup sequencialItem=2 codigoTabela=22 codigoProcedimento=85100099 \
	codDente=36 denteFace=M qtdProc=1 valorProc=80 autorizado=S dataRealizacao=10/03/2026 >/dev/null
same "" "$(rules nodup)" "V217 passes: another face"
same 16000 "$(sql ws "SELECT valorTotalProc FROM guia WHERE numeroGuiaPrestador = 'nodup'")" \
	"valorTotalProc recomputed after add-proc"

# V101 and the TISS 3.05.00 names depend on the operator profile.
sed -i 's/^registro_ans = .*/#registro_ans =/' ws/tiss.conf
expect_code 65 "without registro_ans nothing is complete" tiss-validate -C ws
same "V101" "$(rules ok-base)" "V101 fails: registro_ans not set"
has err "registro_ans is not set" "tiss-validate warns about it"
sed -i 's/^#registro_ans =.*/registro_ans = 12345/' ws/tiss.conf
expect_code 78 "a registro_ans of 5 digits is a profile error" tiss-validate -C ws
has err "registro_ans '12345' is not the operator's 6-digit ANS registration" \
	"... read by the operator profile, which names it"
sed -i 's/^registro_ans = .*/registro_ans = 123456/' ws/tiss.conf
printf '[operadora]\nversao_tiss = 3.05.00\n' >>ws/tiss.conf
tiss-validate -q -C ws
same "V102,V102" "$(rules ok-base)" "TISS 3.05.00 requires nomeBeneficiario and nomeProfExec"
mk v3-names nomeBeneficiario=Ana "nomeProfExec=Dr. João"
same "" "$(rules v3-names)" "... and passes with them"
printf 'versao_tiss = 9.99\n' >>ws/tiss.conf
expect_code 78 "an unknown TISS version is a configuration error" tiss-validate -C ws
done_testing
