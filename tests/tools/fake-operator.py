#!/usr/bin/env python3
"""A fake health-plan operator for the tests: TISS web services over HTTPS.

    fake-operator.py STATE_DIR --cert C --key K [--ca CA] --schemas DIR
                     [--versao 4.03.00]

Listens on 127.0.0.1 (a free port, written to STATE_DIR/port) with TLS
1.2 or newer; with --ca it requires a client certificate signed by CA.
It speaks TISS --versao (default 4.03.00, the version in force): every
request is checked against that version's official tissWebServicesV*.xsd
in --schemas (with xmllint), its hash recomputed here, independently of
the C code, and the answers carry that Padrao.  The prestador is whoever
the request's origem names (codigoPrestadorNaOperadora, CNPJ or CPF),
and the answers name it the same way.

tissLoteGuias (loteGuiasWS) answers a protocoloRecebimentoWS: a protocolo,
or mensagemErro 5014 (hash), 5015 (more than 100 guides); a lote number
it already has with the same hash gets the same protocolo again (it is
received once), with another hash mensagemErro 5053.  A schema error or
a bad login is a SOAP fault (tissFaultWS SchemaInvalido, LoginInvalido).
tissSolicitacaoStatusProtocolo answers a situacaoProtocoloWS with the
status in STATE_DIR/status (default 1; 10 is 4.03.00's Bloqueio judicial)
and, when STATE_DIR/glosa holds centavos, that glosa on the lote's first
guide: code 3007 with its description, or the code in STATE_DIR/glosa_code
without one (as operators often send it).

STATE_DIR/modes: one line per coming request, consumed in order; empty
means "ok".  Modes: ok, http500, http503, http404, timeout (no answer for
30 s), garbage (200 with non-XML), reset (close without answering),
hang (receive the lote, then no answer for 30 s), fault:NAME (a tissFault),
error:CODE (a mensagemErro), gateway:STATUS (receive the lote, then answer
what a gateway whose backend timed out answers: a soap:Server Fault with
no tissFault, with HTTP STATUS), clientfault:STATUS (receive the request,
then answer a soap:Client Fault with no tissFault, with HTTP STATUS: a
fault that is no verdict and no server failure).
STATE_DIR/login: "LOGIN MD5" that requests must carry.
--no-schema skips the xmllint check (the benchmark's thousands of
lotes); the hash is still recomputed.
Logs: STATE_DIR/requests.log (one line per request: path, mode, SHA-256
of the request, then the protocolo, code or fault answered, or "-"),
received.log (one line per lote received the first time: prestador,
lote, hash, protocolo).
"""
import argparse
import datetime
import hashlib
import http.server
import json
import os
import re
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import types
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ANS = "http://www.ans.gov.br/padroes/tiss/schemas"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
lock = threading.RLock()


def local(tag):
    return tag.rsplit("}", 1)[-1]


def find(elem, name):
    """The first descendant (or self) with this local name, or None."""
    for e in elem.iter():
        if local(e.tag) == name:
            return e
    return None


def text(elem, name, default=""):
    e = find(elem, name)
    return e.text or "" if e is not None else default


def tiss_hash(root):
    """NOTES.md §4: MD5 of the text of every leaf but hash, ISO-8859-1."""
    parts = []
    for e in root.iter():
        if len(e) == 0 and local(e.tag) != "hash":
            parts.append(e.text or "")
    return hashlib.md5("".join(parts).encode("iso-8859-1")).hexdigest()


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def el(name, *children):
    """An ans: element; children are strings (text) or elements."""
    inner = "".join(children)
    return "<ans:%s>%s</ans:%s>" % (name, inner, name)


def leaf(name, value):
    return el(name, esc(str(value)))


def money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


def cents(s):
    whole, _, frac = s.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def items_of(guide):
    """The procedures of a guiaOdonto, as the demonstrativo needs them."""
    out = []
    for p in guide.iter():
        if local(p.tag) != "procedimentosExecutados":
            continue
        out.append({k: text(p, k) for k in (
            "sequencialItem", "codigoTabela", "codigoProcedimento",
            "descricaoProcedimento", "codDente", "codRegiao", "denteFace",
            "qtdProc", "valorProc", "dataRealizacao")})
    return out


class State:
    def __init__(self, path):
        self.path = path

    def file(self, name):
        return os.path.join(self.path, name)

    def next_mode(self):
        with lock:
            try:
                with open(self.file("modes")) as f:
                    lines = f.read().splitlines()
            except FileNotFoundError:
                return "ok"
            if not lines:
                return "ok"
            with open(self.file("modes"), "w") as f:
                f.write("".join(l + "\n" for l in lines[1:]))
            return lines[0].strip() or "ok"

    def read(self, name, default=None):
        try:
            with open(self.file(name)) as f:
                return f.read().strip()
        except FileNotFoundError:
            return default

    def log(self, name, line):
        with lock, open(self.file(name), "a") as f:
            f.write(line + "\n")

    # One file per lote received (lotes/PRESTADOR_NUMERO.json) and per
    # protocolo: constant time per request, however many lotes.
    def lote(self, key):
        try:
            with open(self.file("lotes/%s.json" % key.replace("/", "_"))) as f:
                return json.load(f)
        except FileNotFoundError:
            return None

    def save_lote(self, key, lote):
        for d in ("lotes", "protocolos"):
            os.makedirs(self.file(d), exist_ok=True)
        name = self.file("lotes/%s.json" % key.replace("/", "_"))
        with open(name + ".tmp", "w") as f:
            json.dump(lote, f)
        os.replace(name + ".tmp", name)
        with open(self.file("protocolos/" + lote["protocolo"]), "w") as f:
            f.write(key)

    def by_protocolo(self, protocolo):
        try:
            with open(self.file("protocolos/" + os.path.basename(protocolo))) as f:
                key = f.read()
        except FileNotFoundError:
            return None, None
        return key, self.lote(key)

    def next_protocolo(self):
        n = int(self.read("seq", "0")) + 1
        with open(self.file("seq"), "w") as f:
            f.write(str(n))
        return "%012d" % n


VERSAO = "4.03.00"

# The prestador's identity elements: in a cabecalho, in ct_contratadoDados.
CONTRATADO = {"codigoPrestadorNaOperadora": "codigoPrestadorNaOperadora",
              "CNPJ": "cnpjContratado", "CPF": "cpfContratado"}


def identity(root):
    """(element, value) of the origem's identificacaoPrestador."""
    ident = find(find(root, "origem"), "identificacaoPrestador")
    for e in (ident if ident is not None else []):
        return local(e.tag), e.text or ""
    return "codigoPrestadorNaOperadora", ""


def cabecalho(tipo, ident, registro):
    now = datetime.datetime.now()
    return el("cabecalho",
              el("identificacaoTransacao",
                 leaf("tipoTransacao", tipo),
                 leaf("sequencialTransacao", int(time.time()) % 10**9),
                 leaf("dataRegistroTransacao", now.strftime("%Y-%m-%d")),
                 leaf("horaRegistroTransacao", now.strftime("%H:%M:%S"))),
              el("origem", leaf("registroANS", registro)),
              el("destino", el("identificacaoPrestador",
                               leaf(ident[0], ident[1]))),
              leaf("Padrao", VERSAO))


def envelope(ws_name, inner):
    """A SOAP envelope with an answer element whose hash is set."""
    body = '<ans:%s xmlns:ans="%s">%s<ans:hash>@HASH@</ans:hash></ans:%s>' % (
        ws_name, ANS, inner, ws_name)
    root = ET.fromstring(b'<?xml version="1.0" encoding="ISO-8859-1"?>'
                         + body.encode("iso-8859-1"))
    body = body.replace("@HASH@", tiss_hash(root))
    return ('<?xml version="1.0" encoding="ISO-8859-1"?>'
            '<soap:Envelope xmlns:soap="%s"><soap:Body>%s</soap:Body>'
            '</soap:Envelope>' % (SOAP, body)).encode("iso-8859-1")


def server_fault(message, code="Server"):
    """A gateway's SOAP Fault: soap:CODE, no tissFault in detail."""
    return ('<?xml version="1.0" encoding="ISO-8859-1"?>'
            '<soap:Envelope xmlns:soap="%s"><soap:Body><soap:Fault>'
            '<faultcode>soap:%s</faultcode><faultstring>%s</faultstring>'
            '</soap:Fault></soap:Body></soap:Envelope>' % (SOAP, code,
                                                           esc(message))
            ).encode("iso-8859-1")


def fault(name, message):
    return ('<?xml version="1.0" encoding="ISO-8859-1"?>'
            '<soap:Envelope xmlns:soap="%s"><soap:Body><soap:Fault>'
            '<faultcode>soap:Client</faultcode><faultstring>%s</faultstring>'
            '<detail><ans:tissFaultWS xmlns:ans="%s"><ans:tissFault>%s'
            '</ans:tissFault></ans:tissFaultWS></detail></soap:Fault>'
            '</soap:Body></soap:Envelope>' % (SOAP, esc(message), ANS, name)
            ).encode("iso-8859-1")


class Operator:
    def __init__(self, state, schemas, check_schema=True):
        self.state = state
        self.schema = os.path.join(
            schemas, "tissWebServicesV%s.xsd" % VERSAO.replace(".", "_"))
        self.check_schema = check_schema

    def schema_error(self, body):
        with tempfile.NamedTemporaryFile(suffix=".xml", dir=self.state.path,
                                         delete=False) as f:
            f.write(body)
        try:
            p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema",
                                self.schema, f.name],
                               capture_output=True, text=True)
            return None if p.returncode == 0 else p.stderr.strip()
        finally:
            os.unlink(f.name)

    def answer(self, raw, mode):
        """(HTTP status, body) for a request's bytes."""
        m = re.search(rb"<([\w.-]+:)?Body[^>]*>(.*)</([\w.-]+:)?Body>", raw,
                      re.S)
        if not m:
            return 500, fault("SchemaInvalido", "not a SOAP envelope")
        body = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + m.group(2)
        err = self.schema_error(body) if self.check_schema else None
        if err:
            return 500, fault("SchemaInvalido", err[:400])
        root = ET.fromstring(body)
        expected = self.state.read("login")
        if expected:
            given = "%s %s" % (text(root, "loginPrestador"),
                               text(root, "senhaPrestador"))
            if given != expected:
                return 500, fault("LoginInvalido", "login ou senha inválidos")
        if mode.startswith("fault:"):
            return 500, fault(mode[6:], "falha pedida pelo teste")
        kind = local(root.tag)
        if kind == "loteGuiasWS":
            return 200, self.lote(root, mode)
        if kind == "solicitacaoStatusProtocoloWS":
            return 200, self.status(root)
        if kind in after.HANDLERS:
            return after.HANDLERS[kind](self, root, mode)
        return 500, fault("SchemaInvalido", "unexpected " + kind)

    def lote(self, root, mode):
        ident = identity(root)
        prest = ident[1]
        registro = text(find(root, "destino"), "registroANS")
        numero = text(find(root, "loteGuias"), "numeroLote")
        given = text(root, "hash")
        guides = [g for g in root.iter() if local(g.tag) == "guiaOdonto"]

        def error(code, desc):
            return envelope("protocoloRecebimentoWS",
                            cabecalho("PROTOCOLO_RECEBIMENTO", ident, registro)
                            + el("recebimentoLote", el("mensagemErro",
                                 leaf("codigoGlosa", code),
                                 leaf("descricaoGlosa", desc))))

        if mode.startswith("error:"):
            return error(mode[6:], "erro pedido pelo teste")
        if tiss_hash(root) != given:
            return error("5014", "CÓDIGO HASH INVÁLIDO. MENSAGEM PODE ESTAR "
                         "CORROMPIDA.")
        if len(guides) > 100:
            return error("5015", "NÚMERO DE GUIAS SUPERIOR AO MÁXIMO")
        key = "%s/%s" % (prest, numero)
        with lock:
            old = self.state.lote(key)
            if old and old["hash"] != given:
                return error("5053", "lote %s já recebido com outro conteúdo"
                             % numero)
            if old is None:
                old = {"hash": given, "protocolo": self.state.next_protocolo(),
                       "data": datetime.date.today().isoformat(),
                       "guias": [], "total": 0}
                old["itens"] = {}
                for g in guides:
                    old["itens"][text(g, "numeroGuiaPrestador")] = items_of(g)
                    total = sum(cents(e.text) for e in g.iter()
                                if local(e.tag) == "valorProc")
                    old["guias"].append([text(g, "numeroGuiaPrestador"),
                                         text(g, "numeroCarteira"),
                                         text(g, "atendimentoRN"), total])
                    old["total"] += total
                self.state.save_lote(key, old)
                self.state.log("received.log", "%s %s %s %s" % (
                    prest, numero, given, old["protocolo"]))
        dados = "".join(el("dadosGuiasOdonto",
                           leaf("numeroGuiaPrestador", g[0]),
                           leaf("numeroCarteira", g[1]),
                           leaf("atendimentoRN", g[2]),
                           el("vlInformadoGuia",
                              leaf("valorProcessado", money(g[3])),
                              leaf("valorGlosa", "0.00"),
                              leaf("valorLiberado", money(g[3]))))
                        for g in old["guias"])
        return envelope("protocoloRecebimentoWS",
                        cabecalho("PROTOCOLO_RECEBIMENTO", ident, registro)
                        + el("recebimentoLote", el("protocoloRecebimento",
                             leaf("registroANS", registro),
                             el("dadosPrestador",
                                leaf(CONTRATADO[ident[0]], prest)),
                             leaf("numeroLote", numero),
                             leaf("dataEnvioLote", old["data"]),
                             el("detalheProtocolo",
                                leaf("numeroProtocolo", old["protocolo"]),
                                leaf("valorTotalProtocolo",
                                     money(old["total"])),
                                el("dadosGuiasProtocolo", dados)))))

    def status(self, root):
        ident = identity(root)
        prest = ident[1]
        registro = text(find(root, "destino"), "registroANS")
        wanted = text(root, "numeroProtocolo")
        cab = cabecalho("SITUACAO_PROTOCOLO", ident, registro)
        if tiss_hash(root) != text(root, "hash"):
            return envelope("situacaoProtocoloWS", cab + el(
                "situacaoProtocolo", el("mensagemErro",
                                        leaf("codigoGlosa", "5014"))))
        key, lote = self.state.by_protocolo(wanted)
        if lote is None or not key.startswith(prest + "/"):
            return envelope("situacaoProtocoloWS", cab + el(
                "situacaoProtocolo", el("mensagemErro",
                                        leaf("codigoGlosa", "5052"),
                                        leaf("descricaoGlosa",
                                             "protocolo não encontrado"))))
        status = self.state.read("status", "1")
        glosa = int(self.state.read("glosa", "0"))
        guias = ""
        for i, g in enumerate(lote["guias"]):
            gl = min(glosa, g[3]) if i == 0 else 0
            code = self.state.read("glosa_code", "")
            motivo = el("glosaGuia", el("motivoGlosa",
                        leaf("codigoGlosa", code)) if code else
                        el("motivoGlosa", leaf("codigoGlosa", "3007"),
                           leaf("descricaoGlosa",
                                "PROCEDIMENTOS ODONTOLÓGICOS DUPLICADOS"))
                        ) if gl else ""
            guias += el("guiasOdonto", el(
                "guias", leaf("numeroGuiaPrestador", g[0]),
                leaf("numeroCarteira", g[1]), leaf("atendimentoRN", g[2]),
                el("vlInformadoGuia", leaf("valorProcessado", money(g[3])),
                   leaf("valorGlosa", money(gl)),
                   leaf("valorLiberado", money(g[3] - gl))), motivo))
        gl = min(glosa, lote["guias"][0][3]) if lote["guias"] else 0
        return envelope("situacaoProtocoloWS", cab + el(
            "situacaoProtocolo", el(
                "situacaoDoProtocolo", leaf("identificacaoOperadora", registro),
                el("dadosPrestador", leaf(CONTRATADO[ident[0]], prest)),
                el("lote", el("detalheLote",
                   leaf("statusProtocolo", status),
                   leaf("numeroProtocolo", wanted),
                   leaf("numeroLote", key.split("/")[1]),
                   leaf("dataEnvioLote", lote["data"]),
                   el("valorTotalLote",
                      leaf("valorProcessado", money(lote["total"])),
                      leaf("valorGlosa", money(gl)),
                      leaf("valorLiberado", money(lote["total"] - gl))),
                   el("guiasTISS", guias))))))


import fake_operator_after as after  # noqa: E402
after.bind(types.SimpleNamespace(**globals()))


def make_handler(op, state):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(n)
            mode = state.next_mode()
            sha = hashlib.sha256(raw).hexdigest()
            if mode in ("reset", "timeout", "garbage") or mode.startswith(
                    "http"):
                state.log("requests.log", "%s %s %s -" % (self.path, mode,
                                                         sha))
            if mode == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            if mode == "timeout":
                time.sleep(30)
                return
            if mode.startswith("http"):
                self.send(int(mode[4:]), b"error\n", "text/plain")
                return
            if mode == "garbage":
                self.send(200, b"<html><body>Service Unavailable", "text/html")
                return
            try:
                status, body = op.answer(raw, mode)
            except Exception as e:  # a bug here must show in the tests
                status, body = 500, fault("ErroInesperadoServidor", repr(e))
            # What was answered: the protocolo, a code or a fault.
            m = re.search(rb"<ans:(numeroProtocolo|codigoGlosa|tissFault)>"
                          rb"([^<]*)<", body)
            state.log("requests.log", "%s %s %s %s" % (
                self.path, mode, sha, m.group(2).decode() if m else "-"))
            if mode == "hang":
                time.sleep(30)
                return
            if mode.startswith("gateway:"):
                status, body = int(mode[8:]), server_fault(
                    "upstream request timeout")
            elif mode.startswith("clientfault:"):
                status, body = int(mode[12:]), server_fault(
                    "requisição não aceita", "Client")
            self.send(status, body, "text/xml; charset=ISO-8859-1")

        def send(self, status, body, ctype):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def main():
    global VERSAO
    ap = argparse.ArgumentParser()
    ap.add_argument("state")
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--ca")
    ap.add_argument("--schemas", required=True)
    ap.add_argument("--versao", default=VERSAO)
    # The benchmark's 20,000 lotes: xmllint takes 0.1 s a request.
    ap.add_argument("--no-schema", action="store_true")
    args = ap.parse_args()
    VERSAO = args.versao
    state = State(args.state)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    if args.ca:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(args.ca)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), make_handler(Operator(state, args.schemas, not args.no_schema), state))
    server.daemon_threads = True
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(state.file("port.tmp"), "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(state.file("port.tmp"), state.file("port"))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
