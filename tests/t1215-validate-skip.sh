#!/bin/sh
# tiss-validate and the import's pass do not check again a guide whose
# verdict is current: validated under the present validation fingerprint
# (guia.validadoCom: the program, the rules, the schema, the profile's
# settings, the TUSS table; the day for a guide in the future) and not
# changed since.  Every input that can change a verdict makes the guides
# it affects checked again; the exit code and --report cover every guide
# not in a lote, checked now or not.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
conf ws registro_ans 123456
tiss-import -q -C ws "$SAMPLES/guias-manuais.csv" "$SAMPLES/guias-clinica-cp1252.csv"
same "5|1" "$(sql ws "SELECT count(*), count(DISTINCT validadoCom) FROM guia WHERE validadoCom IS NOT NULL")" \
	"the import stores every guide with the fingerprint it was checked under"

# ---- nothing changed: nothing checked, the same answer --------------------------
expect_code 65 "--todas checks every guide" tiss-validate -C ws --todas --report all.csv
has err "checked 5 guides: 4 completo, 1 incompleto" "... all five"
stamps=$(sql ws "SELECT group_concat(validadoEm) FROM guia")
expect_code 65 "a run after the import: still 65 (an incompleto guide, not checked)" \
	tiss-validate -C ws --report again.csv
has err "checked 0 guides: 0 completo, 0 incompleto; 0 pendências, 0 avisos; 5 guides current" \
	"... checks none"
has err "not checked again: 4 completo, 1 incompleto" "... and counts the current ones as what they are"
check "... the same report, from the stored pendências" cmp all.csv again.csv
same "$stamps" "$(sql ws "SELECT group_concat(validadoEm) FROM guia")" "... no guide written"
expect_code 0 "-p of a complete prestador: 0" tiss-validate -C ws -p 20005678 --report p.csv
has err "2 guides current" "... its two guides, current"
same 1 "$(grep -c '' p.csv)" "... its report: the header alone"
expect_code 65 "-p of the prestador with the incompleto guide: 65" tiss-validate -C ws -p 10001234
expect_code 65 "--guia always checks the guide named" tiss-validate -C ws --guia GTO-2026-0003
has err "checked 1 guide: 0 completo, 1 incompleto" "... current or not"

# ---- an edit ----------------------------------------------------------------------
# tiss-guia validates after its edit; one stopped in between (here by a
# bad profile: the edit is committed, the validation cannot start) leaves
# the guide incompleto with no fingerprint, even in the same second as
# its last validation.
conf ws registro_ans 12345
expect_code 78 "an edit whose validation cannot run" \
	tiss-guia -C ws set GTO-2026-0003 croExec=12345 cbosExec2=223208
conf ws registro_ans 123456
same "incompleto|" "$(sql ws "SELECT status, validadoCom FROM guia WHERE numeroGuiaPrestador = 'GTO-2026-0003'")" \
	"the edit left the guide incompleto, its fingerprint cleared"
sql ws "UPDATE guia SET alteradoEm = validadoEm WHERE numeroGuiaPrestador = 'GTO-2026-0003'"
expect_code 0 "tiss-validate checks the edited guide: all complete, 0" tiss-validate -C ws
has err "checked 1 guide: 1 completo" "... that guide only"
has err "4 guides current" "... the others current"
# A change the clock shows (validadoEm before alteradoEm), as before.
sql ws "UPDATE guia SET alteradoEm = validadoEm, validadoEm = '2000-01-01T00:00:00Z' WHERE numeroGuiaPrestador = 'GTO-2026-0001'"
expect_code 0 "a guide changed after its validation" tiss-validate -C ws
has err "checked 1 guide" "... is checked again"

# ---- the settings the rules read ---------------------------------------------------
for kv in "carteira_digitos 13" "versao_tiss 4.01.00" "registro_ans 654321"; do
	# shellcheck disable=SC2086
	conf ws $kv
	expect_code 0 "after $kv" tiss-validate -C ws
	has err "checked 5 guides" "... every guide is checked again"
	expect_code 0 "... once" tiss-validate -C ws
	has err "checked 0 guides" "... then none"
done
conf ws carteira_digitos 17
expect_code 65 "a setting that changes the verdict" tiss-validate -C ws --report c17.csv
has err "checked 5 guides: 0 completo, 5 incompleto" "... changes it"
has c17.csv '"V112"' "... with the pendência"
expect_code 65 "... and the next run says the same without checking" tiss-validate -C ws --report c17b.csv
check "... the same report" cmp c17.csv c17b.csv
conf ws carteira_digitos 13

# ---- the TUSS table ------------------------------------------------------------------
TUSS=$TISS_SHARED/tuss/tabela_22_procedimentos_eventos_saude.csv
tiss-tuss -q -C ws load "$TUSS"
expect_code 0 "a TUSS table loaded" tiss-validate -C ws
has err "checked 5 guides" "... checks every guide again"
# One term of a code the samples use, changed: a new table.
sed 's/^\(85100099;[^;]*\);/\1 (alterado);/' "$TUSS" >tuss2.csv
check "the changed table differs" test -n "$(cmp tuss2.csv "$TUSS" 2>&1)"
tiss-tuss -q -C ws load tuss2.csv
expect_code 0 "one term changed" tiss-validate -C ws --report tuss.csv
has err "checked 5 guides" "... checks every guide again"
has tuss.csv "(alterado)" "... against the new term (V204)"
tiss-tuss -q -C ws load tuss2.csv
expect_code 0 "the same table loaded again" tiss-validate -C ws
has err "checked 0 guides" "... changes nothing"

# ---- the day -------------------------------------------------------------------------
# V213 (dataRealizacao in the future) is the one rule that reads the
# clock: a guide it failed on is stored with the fingerprint of the day,
# checked again on another day; the others with the day's own.  (No
# program has a clock to set; the unit test of the fingerprint covers the
# day.)
{ head -1 "$SAMPLES/guias-manuais.csv"
  grep 'GTO-2026-0001' "$SAMPLES/guias-manuais.csv" |
    sed -e 's|/2026\(.\{0,1\}\)$|/2098\1|' -e 's/GTO-2026-0001/GTO-FUT/'; } >fut.csv
expect_code 0 "a guide dated in the future imported" tiss-import -q -C ws fut.csv
same 2 "$(sql ws "SELECT count(DISTINCT validadoCom) FROM guia")" \
	"it is stored under another fingerprint, the day's"
same "V213" "$(sql ws "SELECT group_concat(DISTINCT p.regra) FROM pendencia p JOIN guia g ON g.id = p.guia_id WHERE g.numeroGuiaPrestador = 'GTO-FUT' AND p.regra = 'V213'")" \
	"... for its V213"
expect_code 65 "the same day" tiss-validate -C ws
has err "checked 0 guides" "... it is current"
# A clock set back: a validation stamped after today is not current.
sql ws "UPDATE guia SET validadoEm = '2999-01-01T00:00:00Z', alteradoEm = '2000-01-01T00:00:00Z' WHERE numeroGuiaPrestador = 'GTO-2026-0002'"
expect_code 65 "a validation stamped on a later day than today" tiss-validate -C ws
has err "checked 1 guide" "... is checked again"

# ---- another program or rules: another fingerprint ----------------------------------
# (A build with another VERSION or other rules' sources computes another
# value; stored ones of another build are what this simulates.)
sql ws "UPDATE guia SET validadoCom = validadoCom + 1 WHERE codigoPrestadorNaOperadora = '20005678'"
expect_code 65 "guides checked under another fingerprint" tiss-validate -C ws
has err "checked 2 guides" "... are checked again"

# ---- a run stopped half-way ------------------------------------------------------------
# What a killed run leaves: some guides checked under the new
# fingerprint, the rest under the old (each batch is one transaction).
conf ws carteira_digitos 17
expect_code 65 "one guide checked under a new setting (as a run killed after it)" \
	tiss-validate -C ws --guia GTO-2026-0002
expect_code 65 "the next run" tiss-validate -C ws --report half.csv
has err "checked 5 guides" "... checks the other five"
has err "1 guide current" "... not the one already checked"
expect_code 65 "--todas" tiss-validate -C ws --todas --report full.csv
check "the same report as checking every guide" cmp half.csv full.csv
conf ws carteira_digitos 13
# A real kill, at whatever point it lands, then a run: the same result
# as a run never stopped.
gen="$TISS_BUILD/tools/gen-csv"
if [ -x "$gen" ]; then
	tiss-init big >/dev/null
	conf big registro_ans 123456
	"$gen" 25000 10 >big.csv
	tiss-import -q -C big big.csv
	cp -r big clean
	conf big carteira_digitos 5
	conf clean carteira_digitos 5
	tiss-validate -q -C big & pid=$!
	# Until the first batch under the new setting is committed (or the run
	# ends), then SIGKILL.
	i=0
	while [ $i -lt 600 ] && kill -0 $pid 2>/dev/null &&
	    [ "$(sql big "SELECT count(DISTINCT validadoCom) FROM guia" 2>/dev/null || echo 1)" = 1 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	expect_code 65 "after a kill, the next run" tiss-validate -C big
	tiss-validate -q -C clean
	db_dump big >big.dump
	db_dump clean >clean.dump
	check "... leaves the database as a run never stopped" cmp big.dump clean.dump
	expect_code 65 "... and the one after checks nothing" tiss-validate -C big
	has err "checked 0 guides" "... nothing"
fi

# ---- an import's pass ------------------------------------------------------------------
tiss-init imp >/dev/null
conf imp registro_ans 123456
tiss-import -q -C imp "$SAMPLES/guias-manuais.csv"
expect_code 0 "a second import" tiss-import -C imp "$SAMPLES/guias-clinica-cp1252.csv"
has err "validated 2 guides" "checks its own two guides, not the first file's three again"

# ---- a workspace of schema 9 -----------------------------------------------------------
cp -r imp v9
sql v9 "ALTER TABLE guia DROP COLUMN validadoCom; PRAGMA user_version = 9"
before=$(sql v9 "SELECT count(*), sum(valorTotalProc), group_concat(status) FROM guia")
expect_code 65 "a schema-9 workspace: the next run migrates it" tiss-validate -C v9
same 10 "$(sql v9 'PRAGMA user_version')" "... to schema 10"
same "$before" "$(sql v9 "SELECT count(*), sum(valorTotalProc), group_concat(status) FROM guia")" \
	"... its guides kept"
has err "checked 5 guides" "... and checks every guide once (no fingerprint yet)"
expect_code 65 "the run after" tiss-validate -C v9
has err "checked 0 guides" "... checks none"
done_testing
