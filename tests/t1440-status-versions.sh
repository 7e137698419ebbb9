#!/bin/sh
# The operator's answers per version: 4.03.00's status 10 (Bloqueio
# judicial - prestador) understood, final, flagged for a person and
# shown in Portuguese in the reports; a glosa code the operator sends
# without a description (3172, new in 4.03.00) described from the
# official schema; the prestador's CNPJ in the status request; and the
# whole cycle with an operator still on 4.01.00.
. "$TISS_SRC/tests/lib.sh"

check "certificates made" make_pki
start_operator op --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
# 10001234 is known to this operator by its (alphanumeric) CNPJ.
tiss-init ws >/dev/null
printf '\n[prestador 10001234]\nidentificacao = cnpj\ncnpj = 12ABC34501DE35\n' >>ws/tiss.conf
check "workspace with two lotes ready" ready_workspace ws
same "4.03.00|4.03.00" "$(sql ws "SELECT group_concat(versaoTISS, '|') FROM lote")" "lotes in 4.03.00"
expect_code 0 "sent to an operator on 4.03.00" tiss-send -q -C ws
same "enviado|enviado" "$(sql ws "SELECT group_concat(status, '|') FROM lote")" "both received"
has op/received.log "12ABC34501DE35 1 " "the operator knows 10001234 by its CNPJ"
has op/received.log "20005678 1 " "and 20005678 by its code"

echo 10 >op/status
echo 5000 >op/glosa
echo 3172 >op/glosa_code
expect_code 0 "status 10 is understood" tiss-status -C ws
has out "10 Bloqueio judicial - prestador" "printed with its name"
has err "a person must act" "and flagged for a person"
same "10|10" "$(sql ws "SELECT group_concat(statusProtocolo, '|') FROM lote")" "stored"
n=$(grep -c '^/tissSolicitacaoStatusProtocolo ' op/requests.log)
expect_code 0 "status 10 is final" tiss-status -C ws
same "$n" "$(grep -c '^/tissSolicitacaoStatusProtocolo ' op/requests.log)" "not asked again"

expect_code 0 "2ª via" tiss-report -C ws protocolo 1 -p 10001234
has out "10 Bloqueio judicial - prestador, requer atenção" "the 2ª via shows status 10 in Portuguese"
has out "3172   AUSÊNCIA DE RADIOGRAFIA PERIAPICAL DO TRATAMENTO ENDODÔNTICO CONCLUÍDO" \
	"a new glosa code described from the official schema"
same "" "$(sql ws "SELECT group_concat(descricaoGlosa) FROM glosa")" "(the operator sent no description)"
for fmt in txt csv html; do
	expect_code 0 "acompanhamento as $fmt" tiss-report -C ws acompanhamento --competencia 03/2026 --format $fmt
	# The text form cuts the column at 24 characters.
	case $fmt in txt) want="10 Bloqueio judicial" ;;
	*) want="Bloqueio judicial - prestador, requer atenção" ;; esac
	has out "$want" "acompanhamento ($fmt) shows status 10"
	has out "AUSÊNCIA DE RADIOGRAFIA PERIAPICAL" "acompanhamento ($fmt) describes glosa 3172"
done

# The status request names the prestador by CNPJ too (else the
# operator would not find the protocolo).
echo 2 >op/status
expect_code 0 "asked by CNPJ" tiss-status -C ws --lote 1 -p 10001234
has out "protocolo 000000000001: 2 Em análise" "the operator finds the protocolo"

# An operator still on 4.01.00, the workspace set to it.
kill "$OP_PID" 2>/dev/null
wait "$OP_PID" 2>/dev/null
OP_VERSAO=4.01.00
start_operator op401 --cert pki/ca-server.pem --key pki/ca-server.key --ca pki/ca.pem
check "a workspace on 4.01.00" ready_workspace w401
same "4.01.00|4.01.00" "$(sql w401 "SELECT group_concat(versaoTISS, '|') FROM lote")" "lotes in 4.01.00"
expect_code 0 "sent to an operator on 4.01.00" tiss-send -q -C w401
same "enviado|enviado" "$(sql w401 "SELECT group_concat(status, '|') FROM lote")" "both received"
expect_code 0 "status from the 4.01.00 operator" tiss-status -C w401
has out "1 Recebido" "understood"
kill "$OP_PID" 2>/dev/null
wait "$OP_PID" 2>/dev/null
done_testing
