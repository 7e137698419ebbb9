#!/bin/sh
# tiss-import and guides that already exist: conflict, --replace with
# audit, and guides in a lote that no import may change.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
csv a.csv <<'ROWS'
7;G1;0001;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026
7;G1;0001;N;Plano;1;1;SP;1234567;223208;1;4;2;22;81000421;11;;1;35,00;S;03/03/2026
ROWS
csv b.csv <<'ROWS'
7;G2;0002;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026
7;G1;0009;N;Plano;1;1;SP;1234567;223208;1;4;1;22;84000198;;;1;95,50;S;04/03/2026
ROWS
tiss-import -C ws a.csv 2>/dev/null

expect_code 65 "a guide that exists is a conflict" tiss-import -C ws b.csv
has err "b.csv:3:2: numeroGuiaPrestador: guide G1 of prestador 7 already exists (imported from a.csv line 2); give --replace" \
	"the message names both sources and the way out"
same 0 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador='G2'")" \
	"nothing of the rejected file is stored"

expect_code 0 "--replace replaces it" tiss-import -C ws --replace b.csv
same "0009|1|9550" "$(sql ws "SELECT numeroCarteira, count(*), sum(valorProc) FROM guia g JOIN procedimento p ON p.guia_id=g.id WHERE numeroGuiaPrestador='G1'")" \
	"the file's version wins, procedures included"
same "imported from a.csv line 2|imported from b.csv line 3|tiss-import --replace" \
	"$(sql ws "SELECT antes, depois, fonte FROM auditoria WHERE campo='*'")" "the replacement is audited"
same "numeroCarteira|0001|0009" \
	"$(sql ws "SELECT campo, antes, depois FROM auditoria WHERE campo='numeroCarteira'")" \
	"each changed value is audited with its old and new value"
same 2 "$(sql ws "SELECT count(*) FROM auditoria WHERE campo LIKE 'procedimentosExecutados[%]' AND antes LIKE '%codigoProcedimento=8100%'")" \
	"the replaced procedures are in the audit, values included"
has err "its 2 stored procedures are replaced" "replacing procedures is said, never silent"
same 1 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador='G1'")" \
	"still one guide"
same "9550|1" "$(sql ws "SELECT valorTotalProc, validadoEm IS NOT NULL AND validadoEm >= alteradoEm FROM guia WHERE numeroGuiaPrestador='G1'")" \
	"the replaced guide is validated again, on the file's version"

sql ws "UPDATE guia SET status='em_lote' WHERE numeroGuiaPrestador='G1'"
csv c.csv <<'ROWS'
7;G1;0010;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;1,00;S;03/03/2026
ROWS
printf '7;G3;0003;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;1,00;S;03/03/2026\n' >>c.csv
expect_code 0 "--replace skips a guide in a lote and imports the rest" tiss-import -C ws --replace c.csv
has err "guide G1 of prestador 7 skipped: it is em_lote" \
	"the warning names the guide and says it is in a lote"
same 1 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador='G3'")" \
	"the other guide is imported"
head -n 2 c.csv >e.csv
expect_code 65 "without --replace a guide in a lote is a problem" tiss-import -C ws e.csv
has err "is already in a lote (status em_lote" "the message says it is in a lote"
same "0009" "$(sql ws "SELECT numeroCarteira FROM guia WHERE numeroGuiaPrestador='G1'")" \
	"the guide in the lote is unchanged"

# Issue 15: a partial correction sheet with --replace erased the card
# number, CNES and procedures; empty cells now keep the stored values.
printf 'codigoPrestadorNaOperadora;numeroGuiaPrestador;planoBeneficiario;cnesExec\n7;G2;Outro;\n' >partial.csv
expect_code 0 "--replace with a partial sheet" tiss-import -C ws --replace partial.csv
same "0002|1234567|Outro|1" "$(sql ws "SELECT numeroCarteira, cnesExec, planoBeneficiario, (SELECT count(*) FROM procedimento p WHERE p.guia_id=g.id) FROM guia g WHERE numeroGuiaPrestador='G2'")" \
	"empty cells and absent columns keep the stored values and procedures"
same "planoBeneficiario|Plano|Outro" "$(sql ws "SELECT campo, antes, depois FROM auditoria a JOIN guia g ON g.id=a.guia_id WHERE numeroGuiaPrestador='G2' AND campo <> '*'")" \
	"only the changed value is audited, old and new"

# The same number under another prestador is another guide.
head -n 2 c.csv | sed 's/^7;/8;/' >d.csv
expect_code 0 "same number, other prestador" tiss-import -C ws d.csv
same 2 "$(sql ws "SELECT count(*) FROM guia WHERE numeroGuiaPrestador='G1'")" \
	"two guides G1, one per prestador"
# One run, guides the run itself added then changed (their ids are
# after the last guide before the run, which the validation pass after
# the files reads up to when no stored guide was changed): a guide added
# by one file and replaced by the next, one whose rows are apart in the
# same file.  Both are validated again on what was stored last.
tiss-init ws4 >/dev/null
csv f1.csv <<'ROWS'
7;G7;0001;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026
ROWS
csv f2.csv <<'ROWS'
7;G8;0003;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026
7;G7;0002;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026
7;G9;0004;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026
7;G8;0003;N;Plano;1;1;SP;1234567;223208;1;4;2;22;81000421;11;;1;35,00;S;03/03/2026
ROWS
expect_code 0 "one run: a guide added, then replaced and merged" \
	tiss-import -C ws4 --replace f1.csv f2.csv
same "G7|0002|1|1
G8|0003|2|1
G9|0004|1|1" "$(sql ws4 "SELECT numeroGuiaPrestador, numeroCarteira, (SELECT count(*) FROM procedimento p WHERE p.guia_id = g.id), validadoEm IS NOT NULL AND validadoEm >= alteradoEm FROM guia g ORDER BY 1")" \
	"the guides the run changed are validated again"
same "" "$(sql ws4 'PRAGMA foreign_key_check')" "no dangling reference there"

# The import writes with foreign keys off (its references are made by
# construction): none is left dangling (test-db: they are on again after).
same "" "$(sql ws 'PRAGMA foreign_key_check')" "no dangling reference"
done_testing
