#!/bin/sh
# The review step (issue 15 item 6): with [operadora] aprovacao = sim or
# --aprovacao, lotes are built and their XML made but nothing is sent
# until a person approves each lote (tiss-lote aprovar); guides held
# out of lotes (reter/liberar); tiss-run --dry-run changes nothing at
# all (the database and the workspace tree checksummed before and
# after) and says what the real run would do.
. "$TISS_SRC/tests/lib.sh"
PATH=$TISS_SRC/scripts:$PATH

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
requests() {
	if [ -f op/requests.log ]; then wc -l <op/requests.log | tr -d ' '; else echo 0; fi
}

# ---- the approval gate -----------------------------------------------------
check "workspace with two lotes ready" ready_workspace ws
conf ws aprovacao sim
expect_code 0 "tiss-send with approval required and no lote approved" tiss-send -C ws
has err "lote 1 of 10001234 awaits approval" "says which lote waits"
has err "tiss-lote aprovar 1" "and how to approve it"
same "0" "$(requests)" "nothing was sent before approval"
same "xml_gerado|xml_gerado" "$(sql ws "SELECT group_concat(status, '|') FROM lote")" "both lotes wait"
expect_code 0 "--dry-run says the same" tiss-send -C ws --dry-run
has err "awaits approval" "a dry run names the waiting lotes"

expect_code 64 "an ambiguous lote number" tiss-lote -C ws aprovar 1
has err "several prestadores" "asks which prestador"
expect_code 0 "approve lote 1 of 10001234" tiss-lote -C ws -p 10001234 aprovar 1
has out "lote 1 of 10001234 (03/2026): approved" "said on stdout"
check "who and when recorded" test -n "$(sql ws "SELECT aprovadoPor || aprovadoEm FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")"
expect_code 0 "approving twice is harmless" tiss-lote -C ws -p 10001234 aprovar 1
has out "approved already" "and said"
expect_code 0 "tiss-send sends the approved lote only" tiss-send -C ws
same "1" "$(requests)" "one request"
same "enviado" "$(lote_status ws 10001234)" "the approved lote was sent"
same "xml_gerado" "$(lote_status ws 20005678)" "the other waits"
expect_code 65 "a sent lote cannot be approved" tiss-lote -C ws -p 10001234 aprovar 1
has err "is enviado" "saying its status"
expect_code 66 "a lote that does not exist" tiss-lote -C ws aprovar 9
comp=$(sql ws "SELECT competencia FROM lote LIMIT 1")
expect_code 0 "approve a whole competência" tiss-lote -C ws aprovar --competencia "$comp" --yes
has out "lote 1 of 20005678" "the waiting lote"
expect_code 0 "then tiss-send sends it" tiss-send -C ws
same "enviado" "$(lote_status ws 20005678)" "sent after approval"
expect_code 64 "aprovar with both numbers and a competência" tiss-lote -C ws aprovar 1 --competencia "$comp"

# The switch, without the profile setting; an approval dies with an edit.
check "workspace" ready_workspace sw
r=$(requests)
expect_code 0 "tiss-send --aprovacao" tiss-send -C sw --aprovacao
same "$r" "$(requests)" "nothing sent without approval"
tiss-lote -q -C sw -p 10001234 aprovar 1 >/dev/null
g=$(sql sw "SELECT numeroGuiaPrestador FROM guia WHERE codigoPrestadorNaOperadora = '10001234' LIMIT 1")
n=$(sql sw "SELECT count(*) FROM guia WHERE codigoPrestadorNaOperadora = '10001234'")
tiss-lote -q -C sw -p 10001234 rm 1 "$g" >/dev/null 2>&1
same "" "$(sql sw "SELECT aprovadoEm FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")" \
	"changing an approved lote voids its approval"
expect_code 65 "an open lote cannot be approved" tiss-lote -C sw -p 10001234 aprovar 1
has err "close it first" "saying how"

# ---- guides held out of lotes ------------------------------------------------
expect_code 0 "reter a guide" tiss-lote -C sw -p 10001234 reter "$g" --motivo "conferir CRO"
has out "guide $g: held" "said"
same "conferir CRO" "$(sql sw "SELECT retidaMotivo FROM guia WHERE numeroGuiaPrestador = '$g'")" "with its reason"
expect_code 0 "build" tiss-lote -C sw build
same "" "$(sql sw "SELECT lote_id FROM guia WHERE numeroGuiaPrestador = '$g'")" "a held guide stays out of lotes"
expect_code 0 "liberar it" tiss-lote -C sw -p 10001234 liberar "$g"
expect_code 0 "build again" tiss-lote -C sw build
check "a released guide goes into a lote" test -n "$(sql sw "SELECT lote_id FROM guia WHERE numeroGuiaPrestador = '$g'")"
expect_code 65 "a guide in a lote cannot be held" tiss-lote -C sw -p 10001234 reter "$g"
has err "tiss-lote rm" "saying how to take it out"
expect_code 66 "no such guide" tiss-lote -C sw reter NAO-EXISTE
expect_code 64 "reter without a guide" tiss-lote -C sw reter

# ---- tiss-run --aprovacao, and --dry-run changes nothing ---------------------
# The operator forgets the lotes of the workspaces above (same numbers).
rm -rf op/lotes op/protocolos op/seq op/received.log op/requests.log op/modes op/login
tiss-init rw >/dev/null
conf rw registro_ans 123456
conf rw schemas "$TISS_SHARED/4.03.00"
cp pki/ca-client.pem pki/ca-client.key rw/secrets/
conf rw endpoint "https://127.0.0.1:$OP_PORT/tissLoteGuias"
conf rw ca_file "$PWD/pki/ca.pem"
conf rw client_cert secrets/ca-client.pem
conf rw client_key secrets/ca-client.key
conf rw retry_delay 0
cp "$SAMPLES/guias-manuais.csv" "$SAMPLES/guias-clinica-cp1252.csv" rw/inbox/
touch -d '1 minute ago' rw/inbox/*.csv
# snapshot WS: every file's name and checksum, and the database's content.
snapshot() {
	(cd "$1" && find . -path ./tiss.db -prune -o -path './tiss.db-*' -prune -o -print | sort |
		while read -r f; do
			if [ -f "$f" ]; then echo "$f $(sha256sum <"$f")"; else echo "$f"; fi
		done
	sqlite3 tiss.db .dump | sha256sum)
}
snapshot rw >before
before_req=$(requests)
expect_code 65 "tiss-run --dry-run on a workspace with a full inbox" tiss-run -C rw --dry-run
snapshot rw >after
check "--dry-run changed nothing: files, folders and the database" cmp before after
same "$before_req" "$(requests)" "--dry-run sent nothing"
has out "nothing was changed in $PWD/rw" "says nothing changed"
has out "would build lote 1 of 10001234" "says which lotes the run would build"
has out "would send" "and what it would send"
same "0" "$(sql rw "SELECT count(*) FROM guia")" "nothing imported"
same "0|2" "$(sql rw "SELECT count(*) FROM lote")|$(ls rw/inbox/*.csv | wc -l | tr -d ' ')" "no lote made, no file moved"
check "no copy left behind" sh -c "! ls -d \"${TMPDIR:-/tmp}\"/tiss-dry-run.* 2>/dev/null | grep -q ."

expect_code 65 "tiss-run --aprovacao" tiss-run -C rw --aprovacao
same "$before_req" "$(requests)" "builds lotes and XML, sends nothing"
same "xml_gerado" "$(lote_status rw 10001234)" "the lote waits with its XML"
tiss-lote -q -C rw aprovar --competencia "$comp" --yes >/dev/null
expect_code 65 "after approval the run sends" tiss-run -C rw --aprovacao
same "enviado" "$(lote_status rw 10001234)" "the approved lote was sent"

stop_operator
done_testing
