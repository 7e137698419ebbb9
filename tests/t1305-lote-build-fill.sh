#!/bin/sh
# tiss-lote build fills each lote in one go (issue 17): with the
# connection's triggers off when the schema's are the ones it knows
# (state_lote_fill does their work once a lote), else with them on, per
# guide.  Both ways build the same lotes, numbered the same, each month
# of a prestador apart and in order, with the same revisao.  With the
# triggers off, every lote is decided first and the guides move after, in
# the order of their ids (guia's index on lote_id dropped and made again
# in the same transaction): killed while they move, the build leaves no
# lote, no guide in one, and the index as it was.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
sed -i 's/^#registro_ans =.*/registro_ans = 123456/; s/^#tamanho_lote =.*/tamanho_lote = 7/' ws/tiss.conf
# 3 prestadores; the guides numbered ...3 and ...7 done in April, their
# numbers among the March ones.
"$TISS_BUILD/tools/gen-csv" 300 3 | sed '/^[0-9]*;G[0-9]*[37];/s|[0-9]*/03/2026$|01/04/2026|' >g.csv
tiss-import -q -C ws g.csv
tiss-validate -q -C ws
same 2 "$(sql ws "SELECT count(DISTINCT substr(p.dataRealizacao, 1, 7)) FROM guia g JOIN procedimento p ON p.guia_id = g.id WHERE g.status = 'completo'")" \
	"complete guides of two months"
cp -a ws slow
cp -a ws kill
# A trigger state_lote_fill does not know: the build keeps them on.
sql slow "CREATE TRIGGER t1305 AFTER UPDATE ON lote_numero BEGIN SELECT 1; END"

dump() {
	sql "$1" "SELECT l.codigoPrestadorNaOperadora, l.numeroLote, l.competencia,
	    l.status, l.revisao, coalesce(l.aprovadoEm, '-'), (SELECT group_concat(n, ' ')
	    FROM (SELECT g.numeroGuiaPrestador AS n FROM guia g WHERE g.lote_id = l.id
	    AND g.status = 'em_lote' ORDER BY 1)) FROM lote l ORDER BY 1, 2"
}
expect_code 0 "build with the triggers off" tiss-lote -C ws build
cp out fast.out
expect_code 0 "build with them on" tiss-lote -C slow build
same "$(cat fast.out)" "$(cat out)" "the same lotes printed"
same "$(dump slow)" "$(dump ws)" "the same lotes, guides, revisao and approval"

# Killed after the first guides moved (the test-only pause), in the
# build's transaction: nothing is left, and a rerun builds the same.
mkdir pause
TISS_TEST_LOTE_PAUSE=$PWD/pause tiss-lote -q -C kill build >kill.out 2>kill.err &
pid=$!
check "the build has moved guides and waits" wait_for pause/moved
kill -9 "$pid"
wait "$pid"
same 137 "$?" "the build is killed"
same "0|0|0" "$(sql kill "SELECT (SELECT count(*) FROM lote), (SELECT count(*) FROM lote_numero), (SELECT count(*) FROM guia WHERE status = 'em_lote' OR lote_id IS NOT NULL)")" \
	"no lote, no lote number, no guide in a lote left"
same "CREATE INDEX guia_lote ON guia(lote_id) WHERE lote_id IS NOT NULL|ok" \
	"$(sql kill "SELECT sql FROM sqlite_schema WHERE name = 'guia_lote'; PRAGMA integrity_check" | paste -sd'|')" \
	"guia's index on lote_id as it was"
expect_code 0 "a rerun builds" tiss-lote -C kill build
same "$(cat fast.out)" "$(cat out)" "the same lotes printed"
same "$(dump ws)" "$(dump kill)" "the same lotes, guides, revisao and approval"

same 0 "$(sql ws "SELECT count(*) FROM guia WHERE status <> 'em_lote' AND retidaEm IS NULL")" \
	"every complete guide is in a lote"
same "CREATE INDEX guia_lote ON guia(lote_id) WHERE lote_id IS NOT NULL|ok" \
	"$(sql ws "SELECT sql FROM sqlite_schema WHERE name = 'guia_lote'; PRAGMA integrity_check" | paste -sd'|')" \
	"guia's index on lote_id made again, whole"
same "SEARCH guia USING COVERING INDEX guia_lote (lote_id=?)" \
	"$(sql ws "EXPLAIN QUERY PLAN SELECT id FROM guia WHERE lote_id = 1" | sed -n 's/^.*--//p')" \
	"and used"
same "" "$(sql ws "SELECT l.id FROM lote l WHERE revisao <> 1 + (SELECT count(*) FROM guia g WHERE g.lote_id = l.id)")" \
	"each lote's revisao counts its guides and its closing, as the triggers do"
same "" "$(sql ws "SELECT numeroLote FROM lote GROUP BY codigoPrestadorNaOperadora, numeroLote HAVING (SELECT count(*) FROM guia g WHERE g.lote_id = min(lote.id)) > 7")" \
	"no lote above tamanho_lote"
# By prestador, the March lotes first, then April's; each lote the next
# guides by number.
same "" "$(sql ws "SELECT a.numeroLote FROM lote a JOIN lote b ON b.codigoPrestadorNaOperadora = a.codigoPrestadorNaOperadora AND b.numeroLote > a.numeroLote WHERE b.competencia < a.competencia OR (b.competencia = a.competencia AND (SELECT min(numeroGuiaPrestador) FROM guia WHERE lote_id = b.id) < (SELECT max(numeroGuiaPrestador) FROM guia WHERE lote_id = a.id))")" \
	"months in order, guides in order of number"
same "2026-03 2026-04" "$(sql ws "SELECT group_concat(competencia, ' ') FROM (SELECT DISTINCT competencia FROM lote ORDER BY 1)")" \
	"lotes of both months"
# A guide moved by hand after the build: the triggers are on again for
# any other program (a new connection) and for raw SQL.
r=$(sql ws "SELECT revisao FROM lote WHERE numeroLote = 1 ORDER BY id LIMIT 1")
sql ws "UPDATE guia SET lote_id = NULL, status = 'completo' WHERE id = (SELECT min(id) FROM guia WHERE lote_id = (SELECT min(id) FROM lote))"
same "$((r + 1))" "$(sql ws "SELECT revisao FROM lote ORDER BY id LIMIT 1")" "the trigger still bumps the revisao"
# That guide built again alone: a build that moves a few guides of a big
# table keeps the index (it would read the whole table to make it again).
expect_code 0 "a build of one guide" tiss-lote -q -C ws build
same "1|ok" "$(sql ws "SELECT count(*) FROM guia g JOIN lote l ON l.id = g.lote_id WHERE l.id = (SELECT max(id) FROM lote) AND g.status = 'em_lote'; PRAGMA integrity_check" | paste -sd'|')" \
	"it is in a new lote, the index whole"

# The triggers state_lote_fill does the work of (state.c's fill_triggers
# and ST_FILLED): a migration that changes or adds one must teach it
# there, and update this sum.
same "guia_lote_move guia_revisao_delete lote_aprovacao_aberto lote_revisao_status" \
	"$(sql ws "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name)")" \
	"the four triggers"
same "1036396673" "$(sql ws "SELECT name || ' ' || sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name" | cksum | cut -d' ' -f1)" \
	"their definitions, as state_lote_fill knows them"
done_testing
