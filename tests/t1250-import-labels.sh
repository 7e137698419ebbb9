#!/bin/sh
# The GTO form's labels as CSV headers (issue 15 #2): a sheet saved the
# way LibreOffice or Excel save a pt-BR sheet (Windows-1252, ';', CRLF,
# numbered labels, short forms, no accents) imports; "Dente/Região" is
# one column told apart by the value; the template opens and imports;
# the import validates at once (#5) and flags scientific notation and a
# card number with non-digits.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' ws/tiss.conf

# As LibreOffice saves it: numbered labels, short forms, mixed case and
# accents, Windows-1252, CRLF, values as shown (80,00; 03/03/2026).
cat >sheet.utf8 <<'ROWS'
1 - Código na Operadora;2 - Nº Guia no Prestador;10 - Número da Carteira;Atendimento a RN;Plano;Cód. do Profissional Executante;CRO;UF;CNES;CBO;Tipo de Atendimento;Tipo de Faturamento;Item;Tabela;Cód. Procedimento;Descrição;DENTE/REGIAO;Face;Qtde.;Valor R$;Aut.;Data de Realização
7;L1;0001;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;Consulta;11;O;1;80,00;S;03/03/2026
7;L1;0001;N;Plano;1;1;SP;1234567;223208;1;4;2;22;81000421;Raspagem;AS;;1;35,00;S;03/03/2026
7;L2;1,23456E+13;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;Consulta;;;1;80,00;S;03/03/2026
7;L3;12.345.678-9;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;Consulta;;;1;80,00;S;03/03/2026
ROWS
iconv -f UTF-8 -t WINDOWS-1252 sheet.utf8 | sed 's/$/\r/' >sheet.csv
expect_code 0 "a pt-BR sheet with the form's labels imports" tiss-import -C ws sheet.csv
has err "4 rows, 3 guides, 4 procedures (Windows-1252)" "every row, decoded as Windows-1252"
same "11|" "$(sql ws "SELECT codDente, codRegiao FROM procedimento WHERE item=1 AND guia_id=(SELECT id FROM guia WHERE numeroGuiaPrestador='L1')")" \
	"Dente/Região: a tooth code goes to codDente"
same "|AS" "$(sql ws "SELECT codDente, codRegiao FROM procedimento WHERE item=2")" \
	"Dente/Região: a region code goes to codRegiao"
same "L1|completo L2|incompleto L3|incompleto" \
	"$(sql ws "SELECT numeroGuiaPrestador, status FROM guia ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')" \
	"the import validated at once: the good guide is completo"
same "V111|numeroCarteira" "$(sql ws "SELECT regra, campo FROM pendencia WHERE guia_id=(SELECT id FROM guia WHERE numeroGuiaPrestador='L2')")" \
	"a card number in scientific notation is a pendência"
same "V112|numeroCarteira" "$(sql ws "SELECT regra, campo FROM pendencia WHERE guia_id=(SELECT id FROM guia WHERE numeroGuiaPrestador='L3')")" \
	"a card number with non-digits is a pendência"

# A crash between the import's commit and its validation: the rerun
# skips the file (same bytes) but still validates what was left.
sql ws "UPDATE guia SET validadoEm=NULL, status='incompleto' WHERE numeroGuiaPrestador='L1'"
expect_code 0 "the rerun of an imported file" tiss-import -C ws sheet.csv
same "completo" "$(sql ws "SELECT status FROM guia WHERE numeroGuiaPrestador='L1'")" \
	"validates the guide left unvalidated"

# The operator's card length, when set: another length is a pendência.
printf '[operadora]\ncarteira_digitos = 5\n' >>ws/tiss.conf
expect_code 65 "tiss-validate with carteira_digitos" tiss-validate -C ws
same "V112|tem 4 dígitos, e a carteira desta operadora tem 5: confira na carteirinha (zeros à esquerda contam)" \
	"$(sql ws "SELECT regra, mensagem FROM pendencia WHERE guia_id=(SELECT id FROM guia WHERE numeroGuiaPrestador='L1')")" \
	"a card number of the wrong length is a pendência"
sed -i '/^carteira_digitos/d' ws/tiss.conf

# Bare CRO/UF/CBO are the executing professional's; the solicitante's
# are named as such.
printf 'Prestador;Número da Guia;CRO do Solicitante;CBO;Código CBO do Solicitante\n7;L9;99;223208;223210\n' >who.csv
expect_code 0 "bare and qualified labels" tiss-import -C ws who.csv
same "99||223208|223210" "$(sql ws "SELECT croSolic, croExec, cbosExec2, cbosSolic FROM guia WHERE numeroGuiaPrestador='L9'")" \
	"a bare CBO is the executante's"

# Dente/Região and Dente together: one of them would be lost.
printf 'Prestador;Número da Guia;Dente/Região;Dente\n7;L8;11;12\n' >twice.csv
expect_code 65 "Dente/Região with Dente is refused" tiss-import -C ws twice.csv
has err "column appears twice" "saying why"
printf 'Prestador;Número da Guia;Cor dos olhos\n7;L7;azul\n' >unknown.csv
expect_code 65 "an unknown label is still refused" tiss-import -C ws unknown.csv
has err "GTO form's labels listed in tiss-csv(5)" "pointing to the installed list"

# The template: Windows-1252, ';', the labels, one example row.
expect_code 0 "tiss-import --modelo" sh -c 'tiss-import --modelo >modelo.csv'
check "the template is Windows-1252" sh -c 'iconv -f WINDOWS-1252 -t UTF-8 modelo.csv | grep -q "Nº Guia no Prestador;"'
check "the template is not UTF-8" sh -c '! grep -q "Nº" modelo.csv'
same 2 "$(wc -l <modelo.csv | tr -d ' ')" "a header and one example row"
sed 's/EXEMPLO-APAGUE/M1/' modelo.csv >filled.csv
sed -i 's/registro_ans = 123456/registro_ans = 123456/' ws/tiss.conf
expect_code 0 "the template's example row imports" tiss-import -C ws filled.csv
same "M1|completo|11" "$(sql ws "SELECT numeroGuiaPrestador, status, codDente FROM guia g JOIN procedimento p ON p.guia_id=g.id WHERE numeroGuiaPrestador='M1'")" \
	"and is complete"
# The contratado executante's name as the form prints it, and as the
# earlier label said it (a sheet already written keeps working).
tiss-init wn >/dev/null
printf 'Código na Operadora;Nº Guia no Prestador;Nome do Contratado Executante\n7;N1;Clínica Sorriso\n' >nome.csv
expect_code 0 "'Nome do Contratado Executante' is a column" tiss-import -C wn nome.csv
same "Clínica Sorriso" "$(sql wn "SELECT nomeProfExec FROM guia WHERE numeroGuiaPrestador='N1'")" "... nomeProfExec"
printf 'Código na Operadora;Nº Guia no Prestador;Nome do Profissional Executante\n7;N2;Clínica Sorriso\n' >nome2.csv
expect_code 0 "the earlier label still reads" tiss-import -C wn nome2.csv
same "Clínica Sorriso" "$(sql wn "SELECT nomeProfExec FROM guia WHERE numeroGuiaPrestador='N2'")" "... into nomeProfExec"
done_testing
