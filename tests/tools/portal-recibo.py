"""The operator portal's receipt of lote 1 of prestador 20005678, as
tiss-portal recibo reads it (t1770, t1830): protocolo 777000111 of
2026-04-01, R$ 1.335,00, guide CLI-778.

Writes, in the current directory, recibo.xml (the web service's
protocoloRecebimentoWS in its SOAP envelope) and recibo-mensagem.xml (the
same receipt as a mensagemTISS, with its epilogo hash).  Built with the
fake operator's helpers (fake-operator.py, beside this file).

Usage: python3 portal-recibo.py
"""
import importlib.util
import os

spec = importlib.util.spec_from_file_location(
    "fakeop", os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake-operator.py"))
f = importlib.util.module_from_spec(spec)
spec.loader.exec_module(f)

body = f.cabecalho("PROTOCOLO_RECEBIMENTO", ("codigoPrestadorNaOperadora", "20005678"), "123456") + f.el(
    "recebimentoLote", f.el("protocoloRecebimento",
        f.leaf("registroANS", "123456"),
        f.el("dadosPrestador", f.leaf("codigoPrestadorNaOperadora", "20005678")),
        f.leaf("numeroLote", "1"), f.leaf("dataEnvioLote", "2026-04-01"),
        f.el("detalheProtocolo", f.leaf("numeroProtocolo", "777000111"),
             f.leaf("valorTotalProtocolo", "1335.00"),
             f.el("dadosGuiasProtocolo", f.el("dadosGuiasOdonto",
                  f.leaf("numeroGuiaPrestador", "CLI-778"),
                  f.leaf("numeroCarteira", "0044433300019"),
                  f.leaf("atendimentoRN", "N"))))))
open("recibo.xml", "wb").write(f.envelope("protocoloRecebimentoWS", body))

# The same receipt as a mensagemTISS, with its epilogo hash.
head = '<?xml version="1.0" encoding="ISO-8859-1"?>'
doc = ('<ans:mensagemTISS xmlns:ans="%s">%s<ans:operadoraParaPrestador>%s'
       '</ans:operadoraParaPrestador><ans:epilogo><ans:hash>@H@</ans:hash>'
       '</ans:epilogo></ans:mensagemTISS>') % (
    f.ANS, body[:body.index("<ans:recebimentoLote>")],
    body[body.index("<ans:recebimentoLote>"):])
root = f.ET.fromstring((head + doc).encode("iso-8859-1"))
open("recibo-mensagem.xml", "wb").write(
    (head + doc.replace("@H@", f.tiss_hash(root))).encode("iso-8859-1"))
