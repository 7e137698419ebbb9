#!/bin/sh
# tiss-validate as a whole: exit codes, the summary, the CSV report,
# guides in a lote left alone; tiss-tuss loading and refusing tables.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' ws/tiss.conf
tiss-import -q -C ws "$SAMPLES/guias-manuais.csv" "$SAMPLES/guias-clinica-cp1252.csv"

# The import checked every guide: --todas checks them again all the same.
expect_code 65 "some guide incomplete: exit 65" tiss-validate -C ws --todas --report pend.csv
has err "checked 5 guides: 4 completo, 1 incompleto; 2 pendências, 0 avisos; top rules: V102 campo obrigatório não preenchido (2)" \
	"summary: guides, complete, incomplete, top rules"
cat >pend.expected <<'CSV'
"codigoPrestadorNaOperadora";"numeroGuiaPrestador";"status";"campo";"regra";"severidade";"mensagem";"valor"
"10001234";"GTO-2026-0003";"incompleto";"croExec";"V102";"erro";"campo obrigatório não preenchido";
"10001234";"GTO-2026-0003";"incompleto";"cbosExec2";"V102";"erro";"campo obrigatório não preenchido";
CSV
printf '\357\273\277' | cat - pend.expected >pend.want
check "the report lists every pendência, sorted" cmp pend.want pend.csv

same "completo" "$(sql ws "SELECT status FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0001'")" \
	"a complete guide is completo"
same "142550" "$(sql ws "SELECT valorTotalProc FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0001'")" \
	"its total is the sum of its procedures"

# Running again changes nothing and duplicates nothing.
tiss-validate -q -C ws
same 2 "$(sql ws 'SELECT count(*) FROM pendencia')" "a second run keeps one copy of each pendência"

# A guide in a lote is not validated again.
sql ws "UPDATE guia SET status = 'em_lote' WHERE numeroGuiaPrestador = 'GTO-2026-0003'"
expect_code 0 "every guide not in a lote complete: exit 0" tiss-validate -C ws
same "em_lote" "$(sql ws "SELECT status FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0003'")" \
	"the guide in a lote keeps its status"
expect_code 0 "--guia of a guide in a lote" tiss-validate -C ws --guia GTO-2026-0003
has err "a guide in a lote is not validated again" "... is refused with the reason"
expect_code 66 "--guia of no guide exits 66" tiss-validate -C ws --guia NOPE
has err "no guide numbered 'NOPE'" "... naming it"
expect_code 0 "--prestador validates one prestador" tiss-validate -C ws --prestador 20005678
has err "checked 0 guides: 0 completo, 0 incompleto; 0 pendências, 0 avisos; 2 guides current" "... its two guides, current"
expect_code 0 "--prestador --todas" tiss-validate -C ws --prestador 20005678 --todas
has err "checked 2 guides" "... checks its two guides again"
expect_code 64 "a stray argument is a usage error" tiss-validate -C ws extra
expect_code 0 "--help prints the usage on stdout" tiss-validate --help
has out "usage: tiss-validate" "... the usage"
expect_code 0 "--version" tiss-validate --version
has out "tiss-validate (tiss) " "... names the program and the project"

# A character outside ISO-8859-1 passes import, and used to pass
# validation too, then failed the whole lote at tiss-xml naming no guide.
tiss-init cs >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' cs/tiss.conf
RLO=$(printf '\342\200\256')
sed "s/Maria da Conceição Souza/Maria ${RLO}azuoS/" "$SAMPLES/guias-manuais.csv" >rlo.csv
expect_code 0 "tiss-import takes the text as it is" tiss-import -q -C cs rlo.csv
expect_code 65 "tiss-validate makes it a pendência" tiss-validate -C cs --todas --report cs.csv
has err "V110 caractere que a TISS não aceita (1)" "the summary counts it"
has cs.csv '"10001234";"GTO-2026-0001";"incompleto";"nomeBeneficiario";"V110";"erro";"caractere U+202E na posição 7: a TISS (ISO-8859-1) não o aceita; apague-o ou digite o texto de novo";"Maria <U+202E>azuoS"' \
	"the report names the guide, the field, the character and where it is"
same "incompleto" "$(sql cs "SELECT status FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0001'")" \
	"the guide stays incompleto, out of any lote"

# A batch in which no guide has a procedure (NULL + 0 before, clang UBSan).
tiss-init np >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' np/tiss.conf
tiss-guia -C np new codigoPrestadorNaOperadora=900 numeroGuiaPrestador=sem-proc \
	numeroCarteira=1 >/dev/null 2>&1
expect_code 65 "a batch of guides without procedures" tiss-validate -C np
same "V108" "$(sql np "SELECT group_concat(DISTINCT regra) FROM pendencia WHERE regra = 'V108'")" \
	"... each is a V108 pendência"

# tiss-tuss
expect_code 0 "the ANS TUSS table 22 loads" tiss-tuss -C ws load "$TISS_SHARED/tuss/tabela_22_procedimentos_eventos_saude.csv"
has err "5907 terms" "every term of the table"
same "Restauração de amálgama  - 1 face|2010-06-09|" \
	"$(sql ws "SELECT termo, inicio, fim FROM tuss WHERE codigo = '85100099'")" \
	"terms keyed by code and validity, dates as aaaa-mm-dd"
same 2 "$(sql ws "SELECT count(*) FROM tuss WHERE codigo = '87000016'")" \
	"a code with two validity periods keeps both"
printf '\357\273\277C\303\263digo do Termo;Termo;Data de in\303\255cio de vig\303\252ncia;Data de fim de vig\303\252ncia;Data de fim de implanta\303\247\303\243o\n81000065;Consulta;31/02/2010;;\n81000030;;01/01/2010;;\n' >bad-tuss.csv
expect_code 65 "a bad table is refused" tiss-tuss -C ws load bad-tuss.csv
has err "bad-tuss.csv:2:3: Data de início de vigência: '31/02/2010': no such day" "bad date reported"
has err "bad-tuss.csv:3:2: Termo: empty" "empty term reported"
same 5907 "$(sql ws 'SELECT count(*) FROM tuss')" "the loaded table is unchanged"
expect_code 65 "a file that is not the TUSS table" tiss-tuss -C ws load "$SAMPLES/guias-manuais.csv"
has err "the ANS TUSS table 22 CSV" "the message says what is expected"
expect_code 66 "a missing file" tiss-tuss -C ws load nope.csv
expect_code 64 "usage" tiss-tuss -C ws
done_testing
