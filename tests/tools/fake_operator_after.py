"""The fake operator's operations after the send (issue 16), loaded by
fake-operator.py, whose helpers (el, leaf, envelope, ...) it uses.

tissSolicitacaoDemonstrativoRetorno (solicitacaoDemonstrativoRetornoWS):
a demonstrativoPagamentoOdonto of every lote the prestador sent, each item
paid in full but for STATE/demo-glosas ("GUIA SEQ CODE CENTS" per line: a
glosa of CENTS on item SEQ of GUIA), numbered STATE/demo-numero (default
000000000777), paid on STATE/demo-data (default today) to bank 001,
agência 1234-5, conta 98765-0.  A demonstrativoAnalise request gets a
demonstrativoAnaliseConta (number A + protocolo) of the protocolo's lote,
its guides and items glossed as STATE/demo-glosas says.
tissRecursoGlosa (loteRecursoGlosaWS): a protocoloRecebimentoRecursoWS;
the same recurso (prestador and numeroGuiaRecGlosaPrestador) with the
same hash gets the same protocolo (received once, logged in
recursos.log), with another hash mensagemErro 5053.
tissSolicitacaoStatusRecursoGlosa: reciboGlosaStatus with the status in
STATE/recurso-status (default 2), or, when STATE/recurso-acatado exists
("GUIA SEQ CENTS" per line, absent items granted in full), the final
reciboGlosaOdonto with the values granted per item.
tissCancelaGuia (cancelaGuiaWS): reciboCancelaGuiaWS, statusCancelamento
1 for a guide of a lote received (logged in cancelamentos.log), 3 for
another; mode cancel:N answers N.

Modes (STATE/modes) these operations add: notready (the demonstrativo is
not ready: situacaoDemonstrativoRetorno), badhash (an answer whose hash
is wrong), invalid (an answer the schema refuses), xxe (an answer with an
external entity), huge (a 17 MiB answer), slow (answer after 2 s),
twice (a demonstrativo de análise answer holding two: A and B).
"""
import datetime
import json
import os
import time

m = el = leaf = money = cents = text = find = None


def bind(mod):
    """Take the helpers of fake-operator.py (mod)."""
    global m, el, leaf, money, cents, text, find
    m = mod
    el, leaf, money, cents, text, find = (mod.el, mod.leaf, mod.money,
                                          mod.cents, mod.text, mod.find)


def origin(root):
    """The prestador's identity (element, value) and the operator's."""
    return (m.identity(root),
            text(find(root, "destino"), "registroANS"))


def contratado(ident):
    """ct_contratadoDados's element for the prestador's identity."""
    return leaf(m.CONTRATADO[ident[0]], ident[1])


def answer(mode, name, tipo, ident, registro, body):
    """(status, bytes) of an answer, spoilt as mode asks."""
    cab = m.cabecalho(tipo, ident, registro)
    if mode == "invalid":
        cab = ""
    raw = m.envelope(name, cab + body)
    if mode == "badhash":
        i = raw.index(b"<ans:hash>") + len(b"<ans:hash>")
        raw = raw[:i] + (b"0" if raw[i:i + 1] != b"0" else b"1") + raw[i + 1:]
    elif mode == "xxe":
        raw = raw.replace(
            b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
            1).replace(b"<ans:hash>", b"<ans:hash>&e;", 1)
    elif mode == "huge":
        raw = raw.replace(b"<soap:Body>",
                          b"<soap:Body><!--" + b"x" * (17 << 20) + b"-->", 1)
    elif mode == "slow":
        time.sleep(2)
    return 200, raw


def lotes_of(op, prest):
    d = op.state.file("lotes")
    out = []
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if name.startswith(prest + "_") and name.endswith(".json"):
            with open(os.path.join(d, name)) as f:
                out.append((name[len(prest) + 1:-5], json.load(f)))
    return out


def glosas(op):
    out = {}
    for line in (op.state.read("demo-glosas", "") or "").splitlines():
        if line.strip():
            g, seq, code, c = line.split()
            out[(g, seq)] = (code, int(c))
    return out


def proc(i):
    return el("procedimento", leaf("codigoTabela", i["codigoTabela"]),
              leaf("codigoProcedimento", i["codigoProcedimento"]),
              leaf("descricaoProcedimento",
                   i["descricaoProcedimento"] or "PROCEDIMENTO"))


def pay_item(i, gl):
    v = cents(i["valorProc"])
    code, g = gl.get(i["sequencialItem"], (None, 0))
    g = min(g, v)
    dente = ""
    if i["codDente"]:
        dente = el("denteRegiao", leaf("codDente", i["codDente"]))
    elif i["codRegiao"]:
        dente = el("denteRegiao", leaf("codRegiao", i["codRegiao"]))
    face = leaf("denteFace", i["denteFace"]) if i["denteFace"] else ""
    return v, g, el(
        "dadosPagamento", leaf("sequencialItem", i["sequencialItem"]),
        proc(i), dente, face, leaf("dataRealizacao", i["dataRealizacao"]),
        leaf("qtdProc", i["qtdProc"]), leaf("valorInformado", money(v)),
        leaf("valorProcessado", money(v)), leaf("valorGlosaEstorno", money(g)),
        leaf("valorFranquia", "0.00"), leaf("valorLiberado", money(v - g)),
        leaf("codigosGlosa", code) if g else "")


def pay_guide(lote, g, gls):
    inf = gl = 0
    items = ""
    for i in lote.get("itens", {}).get(g[0], []):
        gi = {k[1]: v for k, v in gls.items() if k[0] == g[0]}
        v, x, s = pay_item(i, gi)
        inf, gl, items = inf + v, gl + x, items + s
    return inf, gl, el(
        "dadosPagamentoGuia", leaf("numeroGuiaPrestador", g[0]),
        leaf("recurso", "N"), leaf("nomeExecutante", "DENTISTA"),
        leaf("carteiraBeneficiario", g[1]), items,
        leaf("valorTotalInformadoGuia", money(inf)),
        leaf("valorTotalProcessadoGuia", money(inf)),
        leaf("valorTotalGlosaGuia", money(gl)),
        leaf("valorTotalFranquiaGuia", "0.00"),
        leaf("valorTotalLiberadoGuia", money(inf - gl)))


def totals(prefix_names, inf, gl):
    vals = [inf, inf, gl, 0, inf - gl]
    return "".join(leaf(n, money(v)) for n, v in zip(prefix_names, vals))


def pagamento(op, prest, registro):
    gls = glosas(op)
    today = datetime.date.today().isoformat()
    data = op.state.read("demo-data", today)
    protos = ""
    tinf = tgl = 0
    for numero, lote in lotes_of(op, prest):
        inf = gl = 0
        guides = ""
        for g in lote["guias"]:
            a, b, s = pay_guide(lote, g, gls)
            inf, gl, guides = inf + a, gl + b, guides + s
        protos += el("protocolos", leaf("numeroLote", numero),
                     leaf("numeroProtocolo", lote["protocolo"]), guides,
                     el("totaisPorProtocolo", totals((
                         "valorTotalInformadoPorProtocolo",
                         "valorTotalProcessadoPorProtocolo",
                         "valorTotalGlosaPorProtocolo",
                         "valorTotalFranquiaPorProtocolo",
                         "valorTotalLiberadoPorProtocolo"), inf, gl)))
        tinf, tgl = tinf + inf, tgl + gl
    if not protos:
        return None
    return el(
        "demonstrativoPagamentoOdonto",
        el("cabecalhoDemonstrativoOdonto", leaf("registroANS", registro),
           leaf("numeroDemonstrativo",
                op.state.read("demo-numero", "000000000777")),
           leaf("nomeOperadora", "OPERADORA DE TESTE"),
           leaf("cnpjOper", "11222333000181"),
           el("periodoProc", leaf("datainicio", today),
              leaf("datafim", today))),
        el("dadosPrestador", leaf("codigoPrestador", prest),
           el("cpfCNPJContratado", leaf("cnpjPrestador", "11222333000181"))),
        el("dadosPagamentoPorData",
           el("dadosPagamento", leaf("dataPagamento", data),
              leaf("banco", "001"), leaf("agencia", "1234-5"),
              leaf("conta", "98765-0")),
           protos,
           el("totaisPorData", totals((
               "valorBrutonformadoPorData", "valorBrutoProcessadoPorData",
               "valorBrutoGlosaPorData", "valorBrutoFranquiaPorData",
               "valorBrutoLiberadoPorData"), tinf, tgl)),
           el("totalLiquidoPorData",
              leaf("valorTotalDebitosPorData", "0.00"),
              leaf("valorTotalCreditosPorData", "0.00"),
              leaf("valorFinalAReceberPorData", money(tinf - tgl)))),
        el("totaisBrutoDemonstrativo", totals((
            "valorInformadoPorDemonstrativoData",
            "valorlProcessadoPorDemonstrativo", "valorlGlosaPorDemonstrativo",
            "valoFranquiaPorDemonstrativo", "valorLiberadoPorDemonstrativo"),
            tinf, tgl)),
        leaf("totalDebitosDemonstativo", "0.00"),
        leaf("totalCreditosDemonstrativo", "0.00"),
        leaf("valorRecebidoDemonstrativo", money(tinf - tgl)))


def analise_guide(lote, g, gls):
    inf = gl = 0
    items = ""
    for i in lote.get("itens", {}).get(g[0], []):
        v = cents(i["valorProc"])
        code, x = gls.get((g[0], i["sequencialItem"]), (None, 0))
        x = min(x, v)
        items += el("detalhesGuia", leaf("sequencialItem", i["sequencialItem"]),
                    leaf("dataRealizacao", i["dataRealizacao"]), proc(i),
                    leaf("valorInformado", money(v)),
                    leaf("qtdExecutada", i["qtdProc"]),
                    leaf("valorProcessado", money(v)),
                    leaf("valorLiberado", money(v - x)),
                    el("relacaoGlosa", leaf("valorGlosa", money(x)),
                       leaf("tipoGlosa", code)) if x else "")
        inf, gl = inf + v, gl + x
    today = datetime.date.today().isoformat()
    return inf, gl, el(
        "relacaoGuias", leaf("numeroGuiaPrestador", g[0]),
        leaf("numeroCarteira", g[1]), leaf("dataInicioFat", today),
        leaf("situacaoGuia", "5"), items,
        leaf("valorInformadoGuia", money(inf)),
        leaf("valorProcessadoGuia", money(inf)),
        leaf("valorLiberadoGuia", money(inf - gl)),
        leaf("valorGlosaGuia", money(gl)))


def analise(op, ident, registro, protocolo):
    """A demonstrativoAnaliseConta of the lote of protocolo."""
    prest = ident[1]
    key, lote = op.state.by_protocolo(protocolo)
    if lote is None or not key.startswith(prest + "/"):
        return None
    gls = glosas(op)
    inf = gl = 0
    guides = ""
    for g in lote["guias"]:
        a, b, s = analise_guide(lote, g, gls)
        inf, gl, guides = inf + a, gl + b, guides + s
    today = datetime.date.today().isoformat()
    return el(
        "demonstrativoAnaliseConta",
        el("cabecalhoDemonstrativo", leaf("registroANS", registro),
           leaf("numeroDemonstrativo", "A" + protocolo),
           leaf("nomeOperadora", "OPERADORA DE TESTE"),
           leaf("numeroCNPJ", "11222333000181"), leaf("dataEmissao", today)),
        el("dadosPrestador", el("dadosContratado", contratado(ident)),
           leaf("CNES", "1234567")),
        el("dadosConta", el(
            "dadosProtocolo", leaf("numeroLotePrestador", key.split("/")[1]),
            leaf("numeroProtocolo", protocolo), leaf("dataProtocolo", today),
            leaf("situacaoProtocolo", "5"), guides,
            leaf("valorInformadoProtocolo", money(inf)),
            leaf("valorProcessadoProtocolo", money(inf)),
            leaf("valorLiberadoProtocolo", money(inf - gl)),
            leaf("valorGlosaProtocolo", money(gl)))),
        leaf("valorInformadoGeral", money(inf)),
        leaf("valorProcessadoGeral", money(inf)),
        leaf("valorLiberadoGeral", money(inf - gl)),
        leaf("valorGlosaGeral", money(gl)))


def demonstrativo(op, root, mode):
    ident, registro = origin(root)
    prest = ident[1]
    name, tipo = "demonstrativoRetornoWS", "DEMONSTRATIVO_ODONTOLOGIA"
    if m.tiss_hash(root) != text(root, "hash"):
        return answer(mode, name, tipo, ident, registro, el(
            "demonstrativoRetorno", el("mensagemErro",
                                       leaf("codigoGlosa", "5014"))))
    if mode == "notready":
        return answer(mode, name, tipo, ident, registro, el(
            "demonstrativoRetorno", el(
                "situacaoDemonstrativoRetorno",
                leaf("identificacaoOperadora", registro),
                el("dadosPrestador", contratado(ident)),
                leaf("numeroProtocolo", "000000000900"),
                leaf("protocoloSolicitacaoDemonstrativo", "000000000901"),
                leaf("tipoDemonstrativo", "3"),
                leaf("dataSituacaoDemonstrativo",
                     datetime.date.today().isoformat()),
                leaf("situacaoDemonstrativo", "2"))))
    asked = find(root, "demonstrativoAnalise")
    wanted = text(asked, "numeroProtocolo") if asked is not None else ""
    body = analise(op, ident, registro, wanted) if wanted else pagamento(
        op, prest, registro)
    if mode == "twice" and wanted and body is not None:
        # One answer may hold up to 30 análises: a second one, numbered B.
        body += body.replace(">A" + wanted + "<", ">B" + wanted + "<")
    if body is None:
        body = el("mensagemErro", leaf("codigoGlosa", "5052"),
                  leaf("descricaoGlosa", "nenhum demonstrativo no período"))
    portal_file(op, ident, registro, tipo, body)
    return answer(mode, name, tipo, ident, registro,
                  el("demonstrativoRetorno", body))


def portal_file(op, ident, registro, tipo, body):
    """The same demonstrativo as the portal hands it out: a mensagemTISS
    in STATE/portal/demonstrativo.xml (the last one asked for)."""
    inner = (m.cabecalho(tipo, ident, registro) + el(
        "operadoraParaPrestador", el("demonstrativosRetorno", body)))
    doc = ('<ans:mensagemTISS xmlns:ans="%s">%s<ans:epilogo><ans:hash>@HASH@'
           '</ans:hash></ans:epilogo></ans:mensagemTISS>' % (m.ANS, inner))
    head = '<?xml version="1.0" encoding="ISO-8859-1"?>'
    root = m.ET.fromstring((head + doc).encode("iso-8859-1"))
    doc = head + doc.replace("@HASH@", m.tiss_hash(root))
    os.makedirs(op.state.file("portal"), exist_ok=True)
    with open(op.state.file("portal/demonstrativo.xml"), "wb") as f:
        f.write(doc.encode("iso-8859-1"))


def recurso(op, root, mode):
    ident, registro = origin(root)
    prest = ident[1]
    name, tipo = "protocoloRecebimentoRecursoWS", "RECEBIMENTO_RECURSO_GLOSA"
    given = text(root, "hash")
    numero = text(root, "numeroGuiaRecGlosaPrestador")

    def error(code):
        return answer(mode, name, tipo, ident, registro, el(
            "recebimentoRecurso", el("mensagemErro",
                                     leaf("codigoGlosa", code))))

    if mode.startswith("error:"):
        return error(mode[6:])
    if m.tiss_hash(root) != given:
        return error("5014")
    key = "recurso-%s-%s" % (prest, numero)
    with m.lock:
        old = op.state.lote(key)
        if old and old["hash"] != given:
            return error("5053")
        if old is None:
            old = {"hash": given, "protocolo": op.state.next_protocolo(),
                   "data": datetime.date.today().isoformat(),
                   "lote": text(root, "numeroLote"),
                   "protocoloRecursado": text(root, "numeroProtocolo"),
                   "numero": numero, "itens": guides_of(root),
                   "total": cents(text(root, "valorTotalRecursado"))}
            op.state.save_lote(key, old)
            op.state.log("recursos.log", "%s %s %s %s" % (
                prest, numero, given, old["protocolo"]))
    return answer(mode, name, tipo, ident, registro, el(
        "recebimentoRecurso", el(
            "protocoloRecebimento",
            leaf("nrProtocoloRecursoGlosa", old["protocolo"]),
            leaf("dataEnvioRecurso", old["data"]),
            leaf("dataRecebimentoRecurso", old["data"]),
            leaf("numeroLote", old["lote"]), leaf("registroANS", registro),
            el("dadosPrestador", contratado(ident)),
            leaf("nrProtocoloRecursado", old["protocoloRecursado"]),
            leaf("valorTotalRecursado", money(old["total"])))))


def local_name(e):
    return e.tag.rsplit("}", 1)[-1]


def item_of(p):
    return {k: text(p, k) for k in (
        "sequencialItem", "dataRealizacao", "codDente", "codRegiao",
        "denteFace", "quantidade", "codigoTabela", "codigoProcedimento",
        "descricaoProcedimento", "codGlosaProc", "justificativaProc",
        "valorRecursado")}


def guides_of(root):
    out = []
    for g in root.iter():
        if local_name(g) != "recursoGuia":
            continue
        out.append([text(g, "numeroGuiaPrestador"),
                    [item_of(p) for p in g
                     if local_name(p) == "recursoProcedimento"]])
    return out


def granted(op):
    out = {}
    for line in (op.state.read("recurso-acatado", "") or "").splitlines():
        if line.strip():
            g, seq, c = line.split()
            out[(g, seq)] = int(c)
    return out


def resposta_item(i, acatado):
    dente = ""
    if i["codDente"]:
        dente = el("denteRegiao", leaf("codDente", i["codDente"]))
    elif i["codRegiao"]:
        dente = el("denteRegiao", leaf("codRegiao", i["codRegiao"]))
    return el("recursoProcedimento", leaf("sequencialItem", i["sequencialItem"]),
              leaf("dataRealizacao", i["dataRealizacao"]), dente,
              leaf("denteFace", i["denteFace"]) if i["denteFace"] else "",
              leaf("quantidade", i["quantidade"]),
              el("procRecurso", leaf("codigoTabela", i["codigoTabela"]),
                 leaf("codigoProcedimento", i["codigoProcedimento"]),
                 leaf("descricaoProcedimento", i["descricaoProcedimento"])),
              leaf("codGlosaProc", i["codGlosaProc"]),
              leaf("valorRecursado", i["valorRecursado"]),
              leaf("justificativaPrestador", i["justificativaProc"]),
              leaf("valorAcatado", money(acatado)),
              leaf("justificativaOperadora", "analisado pela auditoria"))


def recurso_status(op, root, mode):
    ident, registro = origin(root)
    prest = ident[1]
    name, tipo = "situacaoProtocoloRecursoWS", "RESPOSTA_RECURSO_GLOSA"
    wanted = text(root, "numeroProtocolo")
    key, rec = op.state.by_protocolo(wanted)
    if rec is None or not key.startswith("recurso-%s-" % prest):
        return answer(mode, name, tipo, ident, registro, el(
            "situacaoProtocoloRecurso", el("mensagemErro",
                                           leaf("codigoGlosa", "5052"))))
    if op.state.read("recurso-acatado") is None:
        return answer(mode, name, tipo, ident, registro, el(
            "situacaoProtocoloRecurso", el(
                "reciboGlosaStatus",
                leaf("nrProtocoloRecursoGlosa", wanted),
                leaf("dataEnvioRecurso", rec["data"]),
                leaf("dataRecebimentoRecurso", rec["data"]),
                leaf("numeroLote", rec["lote"]), leaf("registroANS", registro),
                el("dadosPrestador", contratado(ident)),
                leaf("nrProtocoloSituacaoRecursoGlosa", wanted),
                leaf("dataSituacao", datetime.date.today().isoformat()),
                leaf("situacaoProtocolo",
                     op.state.read("recurso-status", "2")))))
    acat = granted(op)
    guias = ""
    total = 0
    for g, items in rec["itens"]:
        procs = ""
        for i in items:
            v = acat.get((g, i["sequencialItem"]), cents(i["valorRecursado"]))
            total += v
            procs += resposta_item(i, v)
        guias += el("recursoGuia", el("respostaRecursoItemOdonto",
                                      leaf("numeroGuiaPrestador", g), procs))
    return answer(mode, name, tipo, ident, registro, el(
        "situacaoProtocoloRecurso", el(
            "reciboGlosaOdonto", leaf("registroANS", registro),
            leaf("numeroGuiaRecGlosaPrestador", rec["numero"]),
            leaf("nomeOperadora", "OPERADORA DE TESTE"),
            leaf("objetoRecurso", "2"), leaf("codigoPrestador", prest),
            leaf("numeroLote", rec["lote"]),
            leaf("numeroProtocolo", rec["protocoloRecursado"]),
            el("opcaoRecurso", guias),
            leaf("dataRecurso", rec["data"]),
            leaf("valorTotalRecursado", money(rec["total"])),
            leaf("valorTotalAcatado", money(total)))))


def cancela(op, root, mode):
    ident, registro = origin(root)
    prest = ident[1]
    name, tipo = "reciboCancelaGuiaWS", "CANCELAMENTO_GUIA_RECIBO"
    guia = text(root, "numeroGuiaPrestador")
    protocolo = text(root, "numeroProtocolo")
    known = any(g[0] == guia for _, lote in lotes_of(op, prest)
                for g in lote["guias"])
    status = "1" if known else "3"
    if mode.startswith("cancel:"):
        status = mode[7:]
    if known:
        op.state.log("cancelamentos.log", "%s %s" % (prest, guia))
    return answer(mode, name, tipo, ident, registro, el(
        "reciboCancelaGuia", el(
            "reciboCancelaGuia", leaf("registroANS", registro),
            el("dadosPrestador", contratado(ident)),
            el("retornoStatus", el("guiasCanceladas", el(
                "dadosGuia", leaf("tipoGuia", "2"),
                leaf("numeroGuiaPrestador", guia),
                leaf("numeroProtocolo", protocolo) if protocolo else "",
                leaf("statusCancelamento", status)))))))


HANDLERS = {
    "solicitacaoDemonstrativoRetornoWS": demonstrativo,
    "loteRecursoGlosaWS": recurso,
    "solicitacaoStatusRecursoGlosaWS": recurso_status,
    "cancelaGuiaWS": cancela,
}
