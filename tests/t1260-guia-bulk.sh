#!/bin/sh
# tiss-guia set with filters (issue 15 #4): the same fix on many guides,
# selected like list; a count and a question on a terminal, --yes for
# scripts, exit 64 with neither.  And the clerk's month: 30 incomplete
# guides, 20 sharing a missing CBO, fixed in 3 commands.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/' ws/tiss.conf
HEADER="$HEADER;descricaoProcedimento"
# 30 incomplete guides: B01-B20 lack the CBO, B21-B30 lack the CNES;
# C01-C10 are complete.
{
	echo "$HEADER"
	for i in $(seq -w 1 20); do
		echo "7;B$i;00$i;N;Plano;1;1;SP;1234567;;1;4;1;22;81000065;;;1;80,00;S;03/03/2026;Consulta"
	done
	for i in $(seq 21 30); do
		echo "7;B$i;00$i;N;Plano;1;1;SP;;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026;Consulta"
	done
	for i in $(seq -w 1 10); do
		echo "7;C$i;01$i;N;Plano;1;1;SP;1234567;223208;1;4;1;22;81000065;;;1;80,00;S;03/03/2026;Consulta"
	done
} >month.csv
# Command 1 (the import validates at once, no tiss-validate needed).
expect_code 0 "the month imports" tiss-import -C ws month.csv
same 30 "$(sql ws "SELECT count(*) FROM guia WHERE status='incompleto'")" "30 guides incomplete"
# The complete guides as the import left them (alteradoEm is its time of
# validation, which may be a second after criadoEm on a busy machine).
complete() {
	sql ws "SELECT numeroGuiaPrestador, status, alteradoEm FROM guia WHERE numeroGuiaPrestador LIKE 'C%' ORDER BY 1"
}
complete_before=$(complete)

expect_code 64 "no terminal and no --yes: refused" \
	tiss-guia -C ws set --status incompleto --vazio cbosExec2 cbosExec2=223208 </dev/null
has err "20 guides" "the refusal gives the count"
has err "--yes" "and the way out"
same 20 "$(sql ws "SELECT count(*) FROM guia WHERE cbosExec2 IS NULL")" "nothing changed"
expect_code 64 "a filter is required" tiss-guia -C ws set --yes cbosExec2=223208
expect_code 64 "a key field is not changed in bulk" \
	tiss-guia -C ws set --status incompleto --yes numeroGuiaPrestador=X
expect_code 65 "a bad value is refused before anything changes" \
	tiss-guia -C ws set --vazio cbosExec2 --yes dataSolicitacao=31/02/2026
same 20 "$(sql ws "SELECT count(*) FROM guia WHERE cbosExec2 IS NULL")" "nothing changed"

# On a terminal: the question, and "n" changes nothing.  pty ANSWER
# COMMAND...: COMMAND on a pseudo-terminal, ANSWER typed once it asks
# ('[y/N] ', or '[s/N] ' in Portuguese).
pty() {
	python3 -c 'import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out = b""
asked = False
while True:
    if not asked and b"/N] " in out:
        os.write(fd, (sys.argv[1] + "\n").encode())
        asked = True
    try:
        b = os.read(fd, 1024)
    except OSError:
        break
    if not b:
        break
    out += b
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))' "$@"
}
pty n tiss-guia -C ws set --status incompleto --vazio cbosExec2 cbosExec2=223208 >tty.out
has tty.out "cbosExec2=223208: 20 guides. Go ahead? [y/N]" "a terminal is asked, with the count"
same 20 "$(sql ws "SELECT count(*) FROM guia WHERE cbosExec2 IS NULL")" "'n' changes nothing"
pty s tiss-guia -C ws set --status incompleto --vazio cbosExec2 cbosExec2=223208 >tty.out
has tty.out "20 guides changed: 20 completo, 0 incompleto" "'s' changes them and validates them"
sql ws "UPDATE guia SET cbosExec2=NULL, status='incompleto' WHERE numeroGuiaPrestador LIKE 'B%' AND cnesExec IS NOT NULL"
sql ws "DELETE FROM auditoria"
# A change made behind the programs' back (SQL) is not an edit they can
# see: --todas checks every guide whatever its fingerprint says.
tiss-validate -q -C ws --todas

# The month in 3 commands: 1 import (above), 2 set in bulk, 3 export +
# fill + import (counted as one: the export feeds the sheet).
expect_code 0 "2: the shared CBO, in bulk" \
	tiss-guia -C ws set --regra V102 --vazio cbosExec2 --yes cbosExec2=223208
has out "20 guides changed: 20 completo" "20 guides fixed at once"
same 20 "$(sql ws "SELECT count(*) FROM auditoria WHERE campo='cbosExec2' AND antes IS NULL AND depois='223208'")" \
	"each change audited, old and new"
tiss-guia -C ws export --status incompleto >rest.csv
awk -F';' 'BEGIN { OFS = ";" } NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
	{ $col["Código CNES"] = "7654321"; print }' rest.csv >rest-filled.csv
expect_code 0 "3: the other 10 through the sheet" tiss-import -C ws rest-filled.csv
same 40 "$(sql ws "SELECT count(*) FROM guia WHERE status='completo'")" "every guide complete"
same "$complete_before" "$(complete)" "the complete guides were never touched"

# Guides in a lote are not selected for change.
sql ws "UPDATE guia SET status='em_lote' WHERE numeroGuiaPrestador='C01'"
expect_code 0 "bulk set skips guides in a lote" \
	tiss-guia -C ws set --carteira 0101 --yes nomeEmpresa=X
has err "1 selected guide is in a lote" "and says so"
done_testing
