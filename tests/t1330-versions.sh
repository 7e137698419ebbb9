#!/bin/sh
# TISS versions as data (tissver): a value the chosen version's schema
# would refuse is a pendência naming the field, the limit and the
# version; the same guides give 4.03.00 and 4.01.00 lotes, each valid
# against its official schema with its hash recomputed; a lote keeps the
# version it was generated in; the prestador identified by its code, a
# CNPJ (alphanumeric from 4.03.00) or a CPF; a workspace of before the
# versions were recorded is migrated.
. "$TISS_SRC/tests/lib.sh"

SOURCE_DATE_EPOCH=1774951200
TZ=UTC
export SOURCE_DATE_EPOCH TZ

# valid WS VERSION [DATADIR]: every generated lote of WS is valid TISS
# VERSION, and so is the SOAP body tiss-send cuts from it.
valid() {
	_v=$(echo "$2" | tr . _)
	for _f in $(sql "$1" 'SELECT xmlArquivo FROM lote WHERE xmlArquivo IS NOT NULL'); do
		check "$1: $_f validates against the official $2 schema" \
			xmllint --noout --schema "$TISS_SHARED/$2/tissV$_v.xsd" "$1/$_f"
		has "$1/$_f" "<ans:Padrao>$2</ans:Padrao>" "$1: $_f: Padrao $2"
		_h=$(sql "$1" "SELECT xmlHash FROM lote WHERE xmlArquivo = '$_f'")
		same "$_h" "$(tiss_hash "$1/$_f")" "$1: $_f: the hash agrees with a second computation"
	done
	sed -i 's|^\[operadora\]$|[operadora]\nendpoint = https://127.0.0.1:9/tissLoteGuias|' "$1/tiss.conf"
	check "$1: the SOAP bodies tiss-send makes validate against tissWebServicesV$_v.xsd" \
		env TISS_DATADIR="${3:-$TISS_DATADIR}" tiss-send -q -C "$1" --dry-run
}

# ---- the same guides in both versions --------------------------------------
for v in 4.03.00 4.01.00; do
	check "workspace ws$v in lotes" lotes_workspace "ws$v" "$v"
	expect_code 0 "tiss-xml in $v" tiss-xml -C "ws$v"
	same 2 "$(wc -l <out | tr -d ' ')" "$v: two lotes written"
	valid "ws$v" "$v"
	same "$v|$v" "$(sql "ws$v" "SELECT group_concat(versaoTISS, '|') FROM lote")" \
		"$v: each lote records its version"
done

# ---- the default -----------------------------------------------------------
tiss-init fresh >/dev/null
has fresh/tiss.conf "versao_tiss = 4.03.00" "a new workspace is on 4.03.00"
tiss-schemas list >out
has out "4.03.00	from 2025-12-01 (default)" "4.03.00 is the default of the version table"

# ---- a fresh install: the ANS package and a registro ANS --------------------
mkdir -p datadir "pkg/Padrão TISS Comunicação 040300"
ln -s "$TISS_SRC/xslt" datadir/xslt
cp "$TISS_SHARED"/4.03.00/*.xsd "pkg/Padrão TISS Comunicação 040300/"
(cd pkg && python3 -m zipfile -c ../PadroTISSComunicao_202511.zip "Padrão TISS Comunicação 040300")
expect_code 0 "the ANS package installed" \
	env TISS_DATADIR="$PWD/datadir" tiss-schemas install PadroTISSComunicao_202511.zip
tiss-init bare >/dev/null
conf bare registro_ans 123456
same "" "$(grep '^schemas' bare/tiss.conf)" "schemas not set"
tiss-import -q -C bare "$SAMPLES/guias-manuais.csv"
tiss-validate -q -C bare
tiss-guia -q -C bare set GTO-2026-0003 croExec=12345 cbosExec2=223208 >/dev/null
tiss-lote -q -C bare build >/dev/null
expect_code 78 "without the schemas installed, tiss-xml says how to get them" \
	env TISS_DATADIR="$PWD/nowhere" tiss-xml -C bare
has err "tiss-schemas install" "the hint"
expect_code 0 "with only registro_ans set, tiss-xml bills in 4.03.00" \
	env TISS_DATADIR="$PWD/datadir" tiss-xml -C bare
valid bare 4.03.00 "$PWD/datadir"

# ---- a lote keeps its version ------------------------------------------------
w=ws4.01.00
before=$(sql $w "SELECT xmlHash || ' ' || xmlSha256 FROM lote ORDER BY id")
conf $w versao_tiss 4.03.00
conf $w schemas "$TISS_SHARED/4.03.00"
tiss-guia -q -C $w new numeroGuiaPrestador=NOVA-1 codigoPrestadorNaOperadora=10001234 \
	numeroCarteira=0001 atendimentoRN=N planoBeneficiario=Odonto codigoProfExec=1 \
	croExec=123 ufExec=SP cnesExec=1234567 cbosExec2=223208 tipoAtendimento=1 \
	tipoFaturamento=4 sequencialItem=1 codigoTabela=22 codigoProcedimento=85100099 descricaoProcedimento=Restauração \
	codDente=36 denteFace=O qtdProc=1 valorProc=80,00 autorizado=S \
	dataRealizacao=10/03/2026 >/dev/null
tiss-validate -q -C $w
tiss-lote -q -C $w build >/dev/null
expect_code 0 "tiss-xml after the operator moved to 4.03.00" tiss-xml -C $w
same "4.01.00|4.01.00|4.03.00" "$(sql $w "SELECT group_concat(versaoTISS, '|') FROM (SELECT versaoTISS FROM lote ORDER BY id)")" \
	"the lotes made before keep 4.01.00, the new one is 4.03.00"
same "$before" "$(sql $w "SELECT xmlHash || ' ' || xmlSha256 FROM lote WHERE versaoTISS = '4.01.00' ORDER BY id")" \
	"and their hash and bytes"
f=$(sql $w "SELECT xmlArquivo FROM lote WHERE versaoTISS = '4.03.00'")
check "the new lote validates against 4.03.00" \
	xmllint --noout --schema "$TISS_SHARED/4.03.00/tissV4_03_00.xsd" "$w/$f"
expect_code 0 "tiss-lote show" tiss-lote -C $w -p 10001234 show 1
has out "bytes, TISS 4.01.00)" "shows the lote's version"
n=$(sql $w "SELECT numeroLote FROM lote WHERE versaoTISS = '4.03.00'")
p=$(sql $w "SELECT codigoPrestadorNaOperadora FROM lote WHERE versaoTISS = '4.03.00'")
tiss-lote -q -C $w -p "$p" rm "$n" NOVA-1 >/dev/null 2>&1
same "aberto:" "$(sql $w "SELECT status || ':' || coalesce(versaoTISS, '') FROM lote WHERE numeroLote = $n AND codigoPrestadorNaOperadora = '$p'")" \
	"a lote whose XML is dropped has no version until generated again"

# ---- a workspace of before the version was recorded --------------------------
cp -r ws4.03.00 old
# Version 5: without what migrations 6 (versaoTISS), 7 (the review step),
# 8 (after the send) and 9 (one trigger for a guide's move) changed.
sql old "DROP VIEW conciliacao_glosa; DROP VIEW conciliacao_lote;
DROP VIEW conciliacao_guia; DROP TABLE cancelamento; DROP TABLE recurso_item;
DROP TABLE recurso_envio; DROP TABLE recurso; DROP TABLE demonstrativo_pedido;
DROP TABLE demonstrativo_auditoria; DROP TABLE demonstrativo_glosa;
DROP TABLE demonstrativo_item; DROP TABLE demonstrativo_guia;
DROP TABLE demonstrativo; ALTER TABLE lote DROP COLUMN portalProntoEm;
ALTER TABLE lote DROP COLUMN envioMeio; DROP TRIGGER lote_aprovacao_aberto;
DROP TRIGGER guia_lote_move; ALTER TABLE lote DROP COLUMN aprovadoEm;
CREATE TRIGGER guia_revisao_move AFTER UPDATE OF lote_id ON guia
WHEN old.lote_id IS NOT new.lote_id BEGIN UPDATE lote SET
revisao = revisao + 1 WHERE id = old.lote_id OR id = new.lote_id; END;
CREATE TRIGGER guia_revisao_insert AFTER INSERT ON guia
WHEN new.lote_id IS NOT NULL BEGIN UPDATE lote SET
revisao = revisao + 1 WHERE id = new.lote_id; END;
ALTER TABLE lote DROP COLUMN aprovadoPor; ALTER TABLE guia DROP COLUMN retidaEm;
ALTER TABLE guia DROP COLUMN retidaMotivo;
ALTER TABLE lote DROP COLUMN versaoTISS; PRAGMA user_version = 5"
sql old "UPDATE lote SET status = 'fechado', xmlArquivo = NULL WHERE id = (SELECT max(id) FROM lote)"
hashes=$(sql old "SELECT coalesce(xmlHash, '-') FROM lote ORDER BY id")
expect_code 0 "an older workspace opens" tiss-lote -C old list
same "9" "$(sql old 'PRAGMA user_version')" "migrated to the current schema"
same "guia_lote_move guia_revisao_delete" "$(sql old "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'guia' ORDER BY name)")" \
	"one trigger moves a guide's lote (9), the older three gone"
same "4.01.00|-" "$(sql old "SELECT group_concat(coalesce(versaoTISS, '-'), '|') FROM (SELECT versaoTISS FROM lote ORDER BY id)")" \
	"a generated lote is 4.01.00, one not generated has none yet"
same "$hashes" "$(sql old "SELECT coalesce(xmlHash, '-') FROM lote ORDER BY id")" "hashes kept"

# ---- the facets that differ ------------------------------------------------------
tiss-init f >/dev/null
conf f registro_ans 123456
guide() {
	_n=$1
	shift
	tiss-guia -q -C f new numeroGuiaPrestador="$_n" codigoPrestadorNaOperadora=900 \
		numeroCarteira=0001 atendimentoRN=N planoBeneficiario=Odonto codigoProfExec=1 \
		croExec=123 ufExec=SP cnesExec=1234567 cbosExec2=223208 tipoAtendimento=1 \
		tipoFaturamento=4 sequencialItem=1 codigoTabela=22 codigoProcedimento=85100099 descricaoProcedimento=Restauração \
		codDente=36 denteFace=O qtdProc=1 autorizado=S dataRealizacao=10/03/2026 \
		"$@" >/dev/null
}
pend() {
	sql f "SELECT p.regra || ' ' || p.campo || ': ' || p.mensagem FROM pendencia p JOIN guia g ON g.id = p.guia_id WHERE g.numeroGuiaPrestador = '$1' AND p.regra = 'V212'"
}
guide us-big valorProc=80,00 qtdUS=123456,78
guide us-ok valorProc=80,00 qtdUS=99999,99
guide valor-big valorProc=1.234.567,89
guide franquia-big valorProc=80,00 valorFranquia=1.234.567,89
tiss-validate -q -C f
pend us-big >p.txt
has p.txt "procedimentosExecutados[1].qtdUS" "4.03.00: qtdUS 123456,78 is a pendência on the field"
has p.txt "99.999,99" "naming the limit"
has p.txt "TISS 4.03.00 (st_decimal7-2" "and the version"
same "" "$(pend us-ok)" "4.03.00: qtdUS 99999,99 passes"
same "" "$(pend valor-big)" "4.03.00: valorProc 1.234.567,89 passes (10 digits)"
same "" "$(pend franquia-big)" "4.03.00: valorFranquia 1.234.567,89 passes"
conf f versao_tiss 4.01.00
tiss-validate -q -C f
pend valor-big >p.txt
has p.txt "procedimentosExecutados[1].valorProc" "4.01.00: valorProc 1.234.567,89 is a pendência"
has p.txt "999.999,99" "naming the limit"
has p.txt "TISS 4.01.00 (st_decimal8-2" "and the version"
pend franquia-big >p.txt
has p.txt "procedimentosExecutados[1].valorFranquia" "4.01.00: valorFranquia too"
same "" "$(pend us-big)" "4.01.00: qtdUS 123456,78 passes (8 digits)"
same "incompleto" "$(sql f "SELECT status FROM guia WHERE numeroGuiaPrestador = 'valor-big'")" \
	"such a guide does not go into a lote"

# ---- the prestador identified three ways -----------------------------------------
check "workspace id in lotes" lotes_workspace id 4.03.00
printf '\n[prestador 10001234]\nidentificacao = cnpj\ncnpj = 12ABC34501DE35\n[prestador 20005678]\nidentificacao = cpf\ncpf = 52998224725\n' >>id/tiss.conf
expect_code 0 "tiss-xml with a CNPJ and a CPF" tiss-xml -C id
valid id 4.03.00
f=$(sql id "SELECT xmlArquivo FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")
has "id/$f" "<ans:identificacaoPrestador><ans:CNPJ>12ABC34501DE35</ans:CNPJ></ans:identificacaoPrestador>" \
	"the alphanumeric CNPJ in the cabecalho"
f=$(sql id "SELECT xmlArquivo FROM lote WHERE codigoPrestadorNaOperadora = '20005678'")
has "id/$f" "<ans:identificacaoPrestador><ans:CPF>52998224725</ans:CPF></ans:identificacaoPrestador>" \
	"the CPF in the cabecalho"
f=$(sql ws4.03.00 "SELECT xmlArquivo FROM lote WHERE codigoPrestadorNaOperadora = '10001234'")
has "ws4.03.00/$f" "<ans:codigoPrestadorNaOperadora>10001234</ans:codigoPrestadorNaOperadora>" \
	"without a section, the code"

check "workspace id401 in lotes" lotes_workspace id401 4.01.00
printf '\n[prestador 10001234]\nidentificacao = cnpj\ncnpj = 12ABC34501DE35\n' >>id401/tiss.conf
line=$(grep -n '^cnpj = ' id401/tiss.conf | cut -d: -f1)
expect_code 78 "an alphanumeric CNPJ under 4.01.00 is refused" tiss-xml -C id401
has err "tiss.conf:$line: [prestador 10001234] cnpj '12ABC34501DE35'" "naming the line"
has err "4.03.00" "and the version that takes it"
sed -i 's/^cnpj = .*/cnpj = 11222333000181/' id401/tiss.conf
expect_code 0 "a numeric CNPJ under 4.01.00" tiss-xml -C id401
valid id401 4.01.00
sed -i 's/^identificacao = cnpj/identificacao = cpf\ncpf = 52998224726/' id401/tiss.conf
expect_code 78 "a CPF with a wrong check digit is refused" tiss-validate -C id401
has err "check digits" "says why"
done_testing
