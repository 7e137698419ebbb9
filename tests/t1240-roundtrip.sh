#!/bin/sh
# The clerk's round trip (issue 15): export the incomplete guides with
# the form's labels, fill cells in, import back; only changed cells
# change, each audited old -> new; "#apagar" clears; guides in a lote
# are skipped with a warning naming them; formula injection is guarded.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' ws/tiss.conf
HEADER="$HEADER;descricaoProcedimento"
# G1 lacks its CBO and CNES; G2 lacks its CBO; G3 is complete; G4 has
# a name starting with '=' (a formula if written bare).
csv a.csv <<'ROWS'
7;G1;0001;N;Plano;1;1;SP;;;1;4;1;22;81000065;;;1;80,00;S;03/03/2026;Consulta
7;G1;0001;N;Plano;1;1;SP;;;1;4;2;22;81000421;11;;1;35,00;S;03/03/2026;Consulta
7;G2;0002;N;Plano;1;1;SP;1234567;;1;4;1;22;81000065;;;1;80,00;S;04/03/2026;Consulta
7;G3;0003;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;05/03/2026;Consulta
7;G4;0004;N;"=HYPERLINK(""x"")";1;1;SP;1234567;;1;4;1;22;81000065;;;1;80,00;S;05/03/2026;Consulta
ROWS
expect_code 0 "the month imports" tiss-import -C ws a.csv
same "G1|incompleto G2|incompleto G3|completo G4|incompleto" \
	"$(sql ws "SELECT numeroGuiaPrestador, status FROM guia ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')" \
	"import validates at once"
same 0 "$(sql ws "SELECT count(*) FROM guia g WHERE status='incompleto' AND NOT EXISTS (SELECT 1 FROM pendencia d WHERE d.guia_id=g.id)")" \
	"no guide is incompleto without a reason"

expect_code 0 "export the incomplete guides" sh -c 'tiss-guia -C ws export --status incompleto >fix.csv'
has fix.csv "Chave;Pendências;Código na Operadora;Nº Guia no Prestador" "the header has the key, the pendências and the form's labels"
same "$(printf '\357\273\277')" "$(head -c 3 fix.csv)" "the export starts with a BOM (Excel reads UTF-8 by it)"
same 5 "$(wc -l <fix.csv | tr -d ' ')" "one row per procedure of the 3 incomplete guides, plus the header"
has fix.csv "'=HYPERLINK" "a cell starting with = is guarded by an apostrophe"
has fix.csv "V1" "the pendências are in their column"

# The clerk fills G1's CNES on one row only, the CBO of G1 and G2,
# changes one value, clears G2's carteira... then saves with CRLF.
awk -F';' 'BEGIN { OFS = ";" }
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
	{
		if ($1 ~ /^G[0-9]+-1$/ || $1 ~ /^G[0-9]+-2$/) $col["Código CBO"] = "223208"
		if (NR == 2) $col["Código CNES"] = "7654321"
		if (NR == 3) $col["Valor R$"] = "36,00"
		if ($col["Nº Guia no Prestador"] == "G2") $col["Plano"] = "#apagar"
		if ($col["Nº Guia no Prestador"] == "G2") $col["Número da Carteira"] = "2"
		if ($col["Nº Guia no Prestador"] == "G1") $col["Número da Carteira"] = "1"
		print
	}' fix.csv | sed 's/$/\r/' >back.csv
sql ws "UPDATE guia SET status='em_lote' WHERE numeroGuiaPrestador='G4'"
expect_code 0 "the filled sheet imports back" tiss-import -C ws back.csv
has err "guide G4 (G" "the guide in a lote is named in a warning"
has err "skipped: it is em_lote" "and the warning says why it is skipped"
same "G1|223208|7654321|0001|Plano" \
	"$(sql ws "SELECT numeroGuiaPrestador, cbosExec2, cnesExec, numeroCarteira, planoBeneficiario FROM guia WHERE numeroGuiaPrestador='G1'")" \
	"the filled cells are stored; a cell filled on one row only is enough; untouched values stay"
same "8000|3600" "$(sql ws "SELECT group_concat(valorProc, '|') FROM (SELECT valorProc FROM procedimento p JOIN guia g ON g.id=p.guia_id WHERE numeroGuiaPrestador='G1' ORDER BY item)")" \
	"the changed procedure value is stored, the other kept"
same "" "$(sql ws "SELECT planoBeneficiario FROM guia WHERE numeroGuiaPrestador='G2'")" \
	"#apagar clears a value"
same "0002" "$(sql ws "SELECT numeroCarteira FROM guia WHERE numeroGuiaPrestador='G2'")" \
	"a card number a spreadsheet stripped of its leading zeros keeps the stored value"
same "=HYPERLINK(\"x\")" "$(sql ws "SELECT planoBeneficiario FROM guia WHERE numeroGuiaPrestador='G4'")" \
	"the guarded value comes back without the apostrophe (G4 untouched anyway)"
same "cnesExec||7654321 cbosExec2||223208 procedimentosExecutados[2].valorProc|3500|3600" \
	"$(sql ws "SELECT campo, antes, depois FROM auditoria a JOIN guia g ON g.id=a.guia_id WHERE numeroGuiaPrestador='G1' ORDER BY a.id" | tr '\n' ' ' | sed 's/ $//')" \
	"the audit has every change with old and new values"
same "planoBeneficiario|Plano|" "$(sql ws "SELECT campo, antes, depois FROM auditoria a JOIN guia g ON g.id=a.guia_id WHERE numeroGuiaPrestador='G2' AND campo='planoBeneficiario'")" \
	"the clear is audited too"
same "G1|completo" "$(sql ws "SELECT numeroGuiaPrestador, status FROM guia WHERE numeroGuiaPrestador='G1'")" \
	"the completed guide is validated completo at once"

# An unchanged export changes nothing.
tiss-guia -C ws export --guia G1 >same.csv
n=$(sql ws "SELECT count(*) FROM auditoria")
expect_code 0 "an untouched export imports" tiss-import -C ws same.csv
same "$n" "$(sql ws "SELECT count(*) FROM auditoria")" "and changes nothing"

# A long card number the spreadsheet showed in scientific notation and
# saved so: the stored value stays (the digits are not lost).
tiss-guia -C ws set G3 numeroCarteira=12345678901234 >/dev/null
tiss-guia -C ws export --guia G3 >g3.csv
awk -F';' 'BEGIN { OFS = ";" } NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
	{ $col["Número da Carteira"] = "1,23457E+13"; print }' g3.csv >g3-lo.csv
n=$(sql ws "SELECT count(*) FROM auditoria")
expect_code 0 "a sheet with the card in scientific notation imports" tiss-import -C ws g3-lo.csv
same "12345678901234|$n" "$(sql ws "SELECT numeroCarteira, (SELECT count(*) FROM auditoria) FROM guia WHERE numeroGuiaPrestador='G3'")" \
	"the stored card number stays, nothing changed"

# Two rows changing one guide value differently: the file is refused.
awk -F';' 'BEGIN { OFS = ";" } NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
	{ $col["Plano"] = "P" NR; print }' same.csv >clash.csv
expect_code 65 "two rows disagreeing on a guide value are refused" tiss-import -C ws clash.csv
has err "differs from" "the message says the rows differ"

# #apagar in an ordinary import is a problem, never a value.
csv new.csv <<'ROWS'
7;G9;#apagar;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026;Consulta
ROWS
expect_code 65 "#apagar outside a round trip is refused" tiss-import -C ws new.csv
has err "clears a value only when re-importing" "saying where it works"

# tiss-guia list --format csv guards its cells too.
tiss-guia -C ws new codigoPrestadorNaOperadora=7 numeroGuiaPrestador=@SUM numeroCarteira=-1+2 >/dev/null
expect_code 0 "list --format csv" tiss-guia -C ws list --format csv --guia @SUM
has out "\"'@SUM\";" "a guide number starting with @ is guarded in the listing"
has out "\"'-1+2\"" "a card starting with - is guarded in the listing"

# A key from elsewhere is refused.
printf 'Chave;Código na Operadora;Nº Guia no Prestador;Plano\r\nG999;7;G1;X\r\n' >bad.csv
expect_code 65 "an unknown key is refused" tiss-import -C ws bad.csv
has err "G999: no guide has this key" "naming the key"
printf 'Chave;Código na Operadora;Nº Guia no Prestador;Plano\r\nG1-1;7;G2;X\r\n' >bad2.csv
expect_code 65 "a key naming another guide than its row is refused" tiss-import -C ws bad2.csv
done_testing
