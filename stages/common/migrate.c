#include <sqlite3.h>

#include "db.h"
#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "migrate.h"

/*
 * Migration 3's SQL for the IBGE code of a UF that column col holds as
 * letters ("SP" gives "35"); anything else stays as it is.
 */
#define UF_CODE(col) \
	" CASE upper(" col ")" \
	"    WHEN 'RO' THEN '11' WHEN 'AC' THEN '12' WHEN 'AM' THEN '13'" \
	"    WHEN 'RR' THEN '14' WHEN 'PA' THEN '15' WHEN 'AP' THEN '16'" \
	"    WHEN 'TO' THEN '17' WHEN 'MA' THEN '21' WHEN 'PI' THEN '22'" \
	"    WHEN 'CE' THEN '23' WHEN 'RN' THEN '24' WHEN 'PB' THEN '25'" \
	"    WHEN 'PE' THEN '26' WHEN 'AL' THEN '27' WHEN 'SE' THEN '28'" \
	"    WHEN 'BA' THEN '29' WHEN 'MG' THEN '31' WHEN 'ES' THEN '32'" \
	"    WHEN 'RJ' THEN '33' WHEN 'SP' THEN '35' WHEN 'PR' THEN '41'" \
	"    WHEN 'SC' THEN '42' WHEN 'RS' THEN '43' WHEN 'MS' THEN '50'" \
	"    WHEN 'MT' THEN '51' WHEN 'GO' THEN '52' WHEN 'DF' THEN '53'" \
	"    WHEN 'EX' THEN '98'" \
	"    ELSE " col " END"

/*
 * The columns that say which procedure was done, in the words of the
 * GTO form: the same in the guide's procedimento (0 -> 1) and in the
 * operator's demonstrativo_item (7 -> 8).  Both have shipped: this text
 * never changes.
 */
#define PROC_IDENTITY \
	"  codigoTabela TEXT," \
	"  codigoProcedimento TEXT," \
	"  descricaoProcedimento TEXT," \
	"  codDente TEXT," \
	"  codRegiao TEXT," \
	"  denteFace TEXT,"

/*
 * Migration 9's SET of a lote whose guides changed: a new revisao, and
 * the approval voided unless the lote is on its way or sent.  Plain
 * comparisons, not IN: in a trigger, IN's ephemeral table is built again
 * at every run.
 */
#define LOTE_MOVED \
	"revisao = revisao + 1, " \
	"aprovadoEm = CASE WHEN status = 'aberto' OR status = 'fechado' OR " \
	"status = 'xml_gerado' THEN NULL ELSE aprovadoEm END, " \
	"aprovadoPor = CASE WHEN status = 'aberto' OR " \
	"status = 'fechado' OR status = 'xml_gerado' THEN NULL ELSE " \
	"aprovadoPor END"

/*
 * Forward migrations: migrations[i] takes the schema from version i to
 * i + 1.  Never edit one that has shipped; add a new one.
 * Money and other two-decimal values are integer hundredths (centavos).
 * Dates are "aaaa-mm-dd" text, time stamps ISO 8601 UTC text.
 * Column names are the TISS element names, so a CSV column, a database
 * column and an XML element share one name.
 */
static const char *const migrations[] = {
	/* 0 -> 1: guides, procedures, imports, audit */
	"CREATE TABLE importacao ("
	"  id INTEGER PRIMARY KEY,"
	"  arquivo TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  situacao TEXT NOT NULL CHECK (situacao = 'importado' OR"
	"    situacao = 'rejeitado'),"
	"  linhas INTEGER NOT NULL DEFAULT 0,"
	"  guias INTEGER NOT NULL DEFAULT 0,"
	"  erros INTEGER NOT NULL DEFAULT 0,"
	"  inicio TEXT NOT NULL,"
	"  fim TEXT);"
	"CREATE UNIQUE INDEX importacao_sha256 ON importacao(sha256)"
	"  WHERE situacao = 'importado';"
	"CREATE TABLE guia ("
	"  id INTEGER PRIMARY KEY,"
	"  codigoPrestadorNaOperadora TEXT NOT NULL,"
	"  numeroGuiaPrestador TEXT NOT NULL,"
	"  numeroGuiaPrincipal TEXT,"
	"  numeroGuiaOperadora TEXT,"
	"  senhaAutorizacao TEXT,"
	"  dataAutorizacao TEXT,"
	"  validadeSenha TEXT,"
	"  dataSolicitacao TEXT,"
	"  numeroCarteira TEXT,"
	"  atendimentoRN TEXT CHECK (atendimentoRN = 'S' OR atendimentoRN = 'N'),"
	"  nomeBeneficiario TEXT,"
	"  planoBeneficiario TEXT,"
	"  nomeEmpresa TEXT,"
	"  nomeProfSolic TEXT,"
	"  croSolic TEXT,"
	"  ufSolic TEXT,"
	"  cbosSolic TEXT,"
	"  codigoProfExec TEXT,"
	"  nomeProfExec TEXT,"
	"  croExec TEXT,"
	"  ufExec TEXT,"
	"  cnesExec TEXT,"
	"  cbosExec2 TEXT,"
	"  tipoAtendimento TEXT,"
	"  tipoFaturamento TEXT,"
	"  dataTerminoTrat TEXT,"
	"  observacao TEXT,"
	"  valorTotalInformado INTEGER,"
	/*
	 * CHECKs are written with OR, not IN: SQLite builds a temporary index
	 * for an IN list on every row written, which cost an import a fifth
	 * of its time.
	 */
	"  status TEXT NOT NULL DEFAULT 'incompleto' CHECK (status = 'incompleto'"
	"    OR status = 'completo' OR status = 'em_lote' OR status = 'enviada'),"
	"  origem TEXT NOT NULL CHECK (origem = 'csv' OR origem = 'eautorizador'"
	"    OR origem = 'manual'),"
	"  origemArquivo TEXT,"
	"  origemLinha INTEGER,"
	"  importacao_id INTEGER REFERENCES importacao(id),"
	"  criadoEm TEXT NOT NULL,"
	"  alteradoEm TEXT NOT NULL,"
	"  UNIQUE (codigoPrestadorNaOperadora, numeroGuiaPrestador));"
	/*
	 * Procedures are stored clustered by guide: every stage reads them
	 * guide by guide, and an import appends them in that order.  item
	 * numbers a guide's procedures in the order they came.
	 */
	"CREATE TABLE procedimento ("
	"  guia_id INTEGER NOT NULL REFERENCES guia(id) ON DELETE CASCADE,"
	"  item INTEGER NOT NULL,"
	"  sequencialItem INTEGER,"
	PROC_IDENTITY
	"  qtdProc INTEGER,"
	"  qtdUS INTEGER,"
	"  valorProc INTEGER,"
	"  valorFranquia INTEGER,"
	"  autorizado INTEGER CHECK (autorizado = 0 OR autorizado = 1),"
	"  dataRealizacao TEXT,"
	"  origemLinha INTEGER,"
	"  PRIMARY KEY (guia_id, item)) WITHOUT ROWID;"
	"CREATE TABLE auditoria ("
	"  id INTEGER PRIMARY KEY,"
	"  quando TEXT NOT NULL,"
	"  guia_id INTEGER,"
	"  campo TEXT NOT NULL,"
	"  antes TEXT,"
	"  depois TEXT,"
	"  fonte TEXT NOT NULL);"
	"CREATE INDEX auditoria_guia ON auditoria(guia_id);",

	/* 1 -> 2: validation results and the TUSS table */
	"ALTER TABLE guia ADD COLUMN valorTotalProc INTEGER;"
	"ALTER TABLE guia ADD COLUMN validadoEm TEXT;"
	"CREATE TABLE pendencia ("
	"  guia_id INTEGER NOT NULL REFERENCES guia(id) ON DELETE CASCADE,"
	"  n INTEGER NOT NULL,"
	"  campo TEXT NOT NULL,"
	"  regra TEXT NOT NULL,"
	"  severidade TEXT NOT NULL CHECK (severidade = 'erro' OR"
	"    severidade = 'aviso'),"
	"  mensagem TEXT NOT NULL,"
	"  valor TEXT,"
	"  PRIMARY KEY (guia_id, n)) WITHOUT ROWID;"
	"CREATE TABLE tuss ("
	"  codigo TEXT NOT NULL,"
	"  termo TEXT NOT NULL,"
	"  inicio TEXT NOT NULL,"
	"  fim TEXT,"
	"  fimImplantacao TEXT,"
	"  PRIMARY KEY (codigo, inicio)) WITHOUT ROWID;",

	/* 2 -> 3: lotes */
	"CREATE TABLE lote ("
	"  id INTEGER PRIMARY KEY,"
	"  codigoPrestadorNaOperadora TEXT NOT NULL,"
	"  numeroLote INTEGER NOT NULL,"
	"  competencia TEXT NOT NULL,"		/* aaaa-mm */
	"  tipoGuia TEXT NOT NULL DEFAULT 'odonto',"
	"  status TEXT NOT NULL DEFAULT 'aberto' CHECK (status = 'aberto' OR"
	"    status = 'fechado' OR status = 'xml_gerado' OR"
	"    status = 'enviando' OR status = 'enviado' OR status = 'rejeitado'),"
	"  criadoEm TEXT NOT NULL,"
	"  alteradoEm TEXT NOT NULL,"
	"  xmlArquivo TEXT,"
	"  xmlBytes INTEGER,"
	"  xmlHash TEXT,"			/* the epilogo hash (MD5) */
	"  xmlSha256 TEXT,"
	"  soapArquivo TEXT,"
	"  xmlGeradoEm TEXT,"
	"  UNIQUE (codigoPrestadorNaOperadora, numeroLote));"
	/* Lote numbers per prestador: only ever go up, so none is reused. */
	"CREATE TABLE lote_numero ("
	"  codigoPrestadorNaOperadora TEXT PRIMARY KEY,"
	"  ultimo INTEGER NOT NULL) WITHOUT ROWID;"
	"ALTER TABLE guia ADD COLUMN lote_id INTEGER REFERENCES lote(id);"
	"CREATE INDEX guia_lote ON guia(lote_id) WHERE lote_id IS NOT NULL;"
	/*
	 * Guides of version 1 kept UFs as letters ("SP"); from version 2 on a
	 * UF is stored as its IBGE code ("35").
	 */
	"UPDATE guia SET"
	"  ufExec =" UF_CODE("ufExec") ","
	"  ufSolic =" UF_CODE("ufSolic") ";",

	/* 3 -> 4: sending, protocolos, their status */
	/* The exact bytes being sent (SHA-256), recorded before the POST. */
	"ALTER TABLE lote ADD COLUMN envioSha256 TEXT;"
	"ALTER TABLE lote ADD COLUMN enviadoEm TEXT;"
	"ALTER TABLE lote ADD COLUMN numeroProtocolo TEXT;"
	"ALTER TABLE lote ADD COLUMN dataEnvioLote TEXT;"
	"ALTER TABLE lote ADD COLUMN valorTotalProtocolo INTEGER;"
	"ALTER TABLE lote ADD COLUMN protocoloArquivo TEXT;"	/* the answer */
	/* Why the operator rejected it: codigoGlosa or tissFault. */
	"ALTER TABLE lote ADD COLUMN codigoErro TEXT;"
	"ALTER TABLE lote ADD COLUMN descricaoErro TEXT;"
	"ALTER TABLE lote ADD COLUMN statusProtocolo INTEGER;"
	"ALTER TABLE lote ADD COLUMN valorProcessado INTEGER;"
	"ALTER TABLE lote ADD COLUMN valorGlosa INTEGER;"
	"ALTER TABLE lote ADD COLUMN valorLiberado INTEGER;"
	"ALTER TABLE lote ADD COLUMN statusConsultadoEm TEXT;"
	/* Every attempt to send a lote and how it ended: the audit trail. */
	"CREATE TABLE envio ("
	"  id INTEGER PRIMARY KEY,"
	"  lote_id INTEGER NOT NULL REFERENCES lote(id),"
	"  inicio TEXT NOT NULL,"
	"  fim TEXT,"
	"  sha256 TEXT NOT NULL,"
	"  resultado TEXT CHECK (resultado = 'protocolo' OR"
	"    resultado = 'rejeitado' OR resultado = 'falha' OR"
	"    resultado = 'nao_enviado'),"
	"  detalhe TEXT);"
	"CREATE INDEX envio_lote ON envio(lote_id);"
	/* The operator's figures per guide, from the protocolo and status. */
	"CREATE TABLE protocolo_guia ("
	"  lote_id INTEGER NOT NULL REFERENCES lote(id) ON DELETE CASCADE,"
	"  numeroGuiaPrestador TEXT NOT NULL,"
	"  numeroGuiaOperadora TEXT,"
	"  valorProcessado INTEGER,"
	"  valorGlosa INTEGER,"
	"  valorLiberado INTEGER,"
	"  PRIMARY KEY (lote_id, numeroGuiaPrestador)) WITHOUT ROWID;"
	/*
	 * Glosas the operator gave: on the lote (no guide), a guide (no
	 * item) or a procedure; from the protocolo or the latest status.
	 */
	"CREATE TABLE glosa ("
	"  id INTEGER PRIMARY KEY,"
	"  lote_id INTEGER NOT NULL REFERENCES lote(id) ON DELETE CASCADE,"
	"  numeroGuiaPrestador TEXT,"
	"  sequencialItem INTEGER,"
	"  codigoGlosa TEXT NOT NULL,"
	"  descricaoGlosa TEXT,"
	"  valorGlosa INTEGER,"
	"  fonte TEXT NOT NULL CHECK (fonte = 'protocolo' OR fonte = 'status'));"
	"CREATE INDEX glosa_lote ON glosa(lote_id);",

	/*
	 * 4 -> 5: a lote's revision, bumped in the same transaction by every
	 * change of its status or of the guides in it, whichever program
	 * makes it; tiss-xml records the XML it built only if the revision
	 * is still the one it read, so a lote edited meanwhile is not
	 * recorded with the old guides.
	 */
	"ALTER TABLE lote ADD COLUMN revisao INTEGER NOT NULL DEFAULT 0;"
	"CREATE TRIGGER lote_revisao_status AFTER UPDATE OF status ON lote "
	"BEGIN UPDATE lote SET revisao = revisao + 1 WHERE id = new.id; END;"
	"CREATE TRIGGER guia_revisao_move AFTER UPDATE OF lote_id ON guia "
	"WHEN old.lote_id IS NOT new.lote_id BEGIN UPDATE lote SET "
	"revisao = revisao + 1 WHERE id = old.lote_id OR id = new.lote_id; "
	"END;"
	"CREATE TRIGGER guia_revisao_insert AFTER INSERT ON guia "
	"WHEN new.lote_id IS NOT NULL BEGIN UPDATE lote SET "
	"revisao = revisao + 1 WHERE id = new.lote_id; END;"
	"CREATE TRIGGER guia_revisao_delete AFTER DELETE ON guia "
	"WHEN old.lote_id IS NOT NULL BEGIN UPDATE lote SET "
	"revisao = revisao + 1 WHERE id = old.lote_id; END;",

	/*
	 * 5 -> 6: the TISS version a lote's XML was generated in (its
	 * Padrao), set by tiss-xml and kept: changing the operator's version
	 * affects only lotes not yet generated.  Lotes generated before
	 * are 4.01.00, the only default the earlier releases had; one made
	 * under versao_tiss = 3.05.00 says so in its file's Padrao
	 * (docs/operators.md tells how to correct the record).
	 */
	("ALTER TABLE lote ADD COLUMN versaoTISS TEXT;"
	"UPDATE lote SET versaoTISS = '4.01.00' WHERE xmlArquivo IS NOT NULL;"),

	/*
	 * 6 -> 7: the review step (issue 15 item 6).  A lote approved by a
	 * person (aprovadoEm, aprovadoPor) may be sent when the profile asks
	 * for approval; any change of its guides, or its reopening, voids
	 * the approval.  A guide held out of lotes (retidaEm, retidaMotivo)
	 * is not taken by tiss-lote build until released.
	 */
	"ALTER TABLE lote ADD COLUMN aprovadoEm TEXT;"
	"ALTER TABLE lote ADD COLUMN aprovadoPor TEXT;"
	"ALTER TABLE guia ADD COLUMN retidaEm TEXT;"
	"ALTER TABLE guia ADD COLUMN retidaMotivo TEXT;"
	"CREATE TRIGGER lote_aprovacao_aberto AFTER UPDATE OF status ON lote "
	"WHEN new.status = 'aberto' BEGIN UPDATE lote SET aprovadoEm = NULL, "
	"aprovadoPor = NULL WHERE id = new.id; END;"
	"CREATE TRIGGER guia_aprovacao_move AFTER UPDATE OF lote_id ON guia "
	"WHEN old.lote_id IS NOT new.lote_id BEGIN UPDATE lote SET "
	"aprovadoEm = NULL, aprovadoPor = NULL WHERE (id = old.lote_id OR "
	"id = new.lote_id) AND status IN ('aberto', 'fechado', "
	"'xml_gerado'); END;",

	/*
	 * 7 -> 8: after the send (issue 16).  The operator's demonstrativos
	 * (pagamento or análise), per guide and item, with their glosas; an
	 * audit row for each one replaced by a corrected one; the requests
	 * answered "not ready yet", to ask again; the recursos de glosa (a
	 * lote of appeals, sent exactly once like a lote of guides) and their
	 * items; cancellations; the portal path of a lote.
	 */
	"CREATE TABLE demonstrativo ("
	"  id INTEGER PRIMARY KEY,"
	"  registroANS TEXT NOT NULL,"
	"  tipo TEXT NOT NULL CHECK (tipo = 'pagamento' OR tipo = 'analise'),"
	"  numero TEXT NOT NULL,"		/* numeroDemonstrativo */
	"  codigoPrestador TEXT NOT NULL,"
	"  periodoInicio TEXT,"
	"  periodoFim TEXT,"
	"  valorInformado INTEGER,"
	"  valorProcessado INTEGER,"
	"  valorGlosa INTEGER,"
	"  valorLiberado INTEGER,"
	"  valorRecebido INTEGER,"
	"  hashConteudo TEXT NOT NULL,"	/* TISS hash of its element */
	"  origem TEXT NOT NULL,"		/* 'webservice' or the file's name */
	"  carregadoEm TEXT NOT NULL,"
	"  UNIQUE (registroANS, codigoPrestador, tipo, numero));"
	"CREATE TABLE demonstrativo_guia ("
	"  id INTEGER PRIMARY KEY,"
	"  demonstrativo_id INTEGER NOT NULL REFERENCES demonstrativo(id)"
	"    ON DELETE CASCADE,"
	"  codigoPrestador TEXT NOT NULL,"
	"  numeroLote TEXT,"
	"  numeroProtocolo TEXT,"
	"  numeroGuiaPrestador TEXT NOT NULL,"
	"  numeroGuiaOperadora TEXT,"
	"  dataPagamento TEXT,"
	"  banco TEXT,"
	"  agencia TEXT,"
	"  conta TEXT,"
	"  valorInformado INTEGER,"
	"  valorProcessado INTEGER,"
	"  valorGlosa INTEGER,"
	"  valorFranquia INTEGER,"
	"  valorLiberado INTEGER);"
	"CREATE INDEX demonstrativo_guia_numero ON demonstrativo_guia"
	"  (codigoPrestador, numeroGuiaPrestador);"
	"CREATE TABLE demonstrativo_item ("
	"  guia_id INTEGER NOT NULL REFERENCES demonstrativo_guia(id)"
	"    ON DELETE CASCADE,"
	"  sequencialItem INTEGER NOT NULL,"
	PROC_IDENTITY
	"  dataRealizacao TEXT,"
	"  qtdProc INTEGER,"
	"  valorInformado INTEGER,"
	"  valorProcessado INTEGER,"
	"  valorGlosa INTEGER,"
	"  valorFranquia INTEGER,"
	"  valorLiberado INTEGER,"
	"  PRIMARY KEY (guia_id, sequencialItem)) WITHOUT ROWID;"
	/* sequencialItem NULL: a glosa on the whole guide. */
	"CREATE TABLE demonstrativo_glosa ("
	"  guia_id INTEGER NOT NULL REFERENCES demonstrativo_guia(id)"
	"    ON DELETE CASCADE,"
	"  sequencialItem INTEGER,"
	"  codigoGlosa TEXT NOT NULL,"
	"  descricaoGlosa TEXT);"
	"CREATE INDEX demonstrativo_glosa_guia ON demonstrativo_glosa(guia_id);"
	"CREATE TABLE demonstrativo_auditoria ("
	"  id INTEGER PRIMARY KEY,"
	"  quando TEXT NOT NULL,"
	"  registroANS TEXT NOT NULL,"
	"  codigoPrestador TEXT NOT NULL,"
	"  tipo TEXT NOT NULL,"
	"  numero TEXT NOT NULL,"
	"  hashAntes TEXT NOT NULL,"
	"  hashDepois TEXT NOT NULL,"
	"  origemAntes TEXT,"
	"  origemDepois TEXT,"
	"  liberadoAntes INTEGER,"
	"  liberadoDepois INTEGER);"
	/* A request answered "not ready yet": asked again by a later run. */
	"CREATE TABLE demonstrativo_pedido ("
	"  id INTEGER PRIMARY KEY,"
	"  codigoPrestador TEXT NOT NULL,"
	"  tipo TEXT NOT NULL CHECK (tipo = 'pagamento' OR tipo = 'analise'),"
	"  chave TEXT NOT NULL,"		/* aaaa-mm, aaaa-mm-dd or protocolo */
	"  situacao TEXT NOT NULL CHECK (situacao = 'pendente' OR"
	"    situacao = 'recebido'),"
	"  statusDemonstrativo INTEGER,"
	"  pedidoEm TEXT NOT NULL,"
	"  respondidoEm TEXT,"
	"  UNIQUE (codigoPrestador, tipo, chave));"
	"CREATE TABLE recurso ("
	"  id INTEGER PRIMARY KEY,"
	"  codigoPrestador TEXT NOT NULL,"
	"  numeroLote INTEGER NOT NULL,"	/* from lote_numero: never reused */
	"  lote_id INTEGER NOT NULL REFERENCES lote(id),"	/* appealed */
	"  status TEXT NOT NULL DEFAULT 'pronto' CHECK (status = 'pronto' OR"
	"    status = 'enviando' OR status = 'enviado' OR"
	"    status = 'rejeitado'),"
	"  arquivo TEXT NOT NULL,"		/* the loteRecursoGlosaWS */
	"  sha256 TEXT NOT NULL,"
	"  valorRecursado INTEGER NOT NULL,"
	"  numeroProtocolo TEXT,"
	"  dataEnvio TEXT,"
	"  statusProtocolo INTEGER,"
	"  valorAcatado INTEGER,"
	"  codigoErro TEXT,"
	"  descricaoErro TEXT,"
	"  criadoEm TEXT NOT NULL,"
	"  enviadoEm TEXT,"
	"  statusConsultadoEm TEXT,"
	"  UNIQUE (codigoPrestador, numeroLote));"
	"CREATE TABLE recurso_envio ("
	"  id INTEGER PRIMARY KEY,"
	"  recurso_id INTEGER NOT NULL REFERENCES recurso(id),"
	"  inicio TEXT NOT NULL,"
	"  fim TEXT,"
	"  resultado TEXT,"
	"  detalhe TEXT);"
	/*
	 * One appeal per glosa of an item: ativo is 0 only for the items of
	 * a recurso the operator rejected as a message, which may be
	 * appealed again.
	 */
	"CREATE TABLE recurso_item ("
	"  id INTEGER PRIMARY KEY,"
	"  recurso_id INTEGER NOT NULL REFERENCES recurso(id),"
	"  codigoPrestador TEXT NOT NULL,"
	"  numeroGuiaPrestador TEXT NOT NULL,"
	"  sequencialItem INTEGER NOT NULL,"
	"  codigoGlosa TEXT NOT NULL,"
	"  valorRecursado INTEGER NOT NULL,"
	"  justificativa TEXT NOT NULL,"
	"  valorAcatado INTEGER,"
	"  justificativaOperadora TEXT,"
	"  ativo INTEGER NOT NULL DEFAULT 1);"
	"CREATE UNIQUE INDEX recurso_item_uma_vez ON recurso_item"
	"  (codigoPrestador, numeroGuiaPrestador, sequencialItem, codigoGlosa)"
	"  WHERE ativo = 1;"
	"CREATE TABLE cancelamento ("
	"  id INTEGER PRIMARY KEY,"
	"  guia_id INTEGER NOT NULL REFERENCES guia(id),"
	"  motivo TEXT NOT NULL,"
	"  pedidoEm TEXT NOT NULL,"
	"  situacao TEXT NOT NULL CHECK (situacao = 'pedido' OR"
	"    situacao = 'cancelada' OR situacao = 'recusado'),"
	"  statusCancelamento INTEGER,"
	"  reciboArquivo TEXT,"
	"  respondidoEm TEXT);"
	"CREATE UNIQUE INDEX cancelamento_guia ON cancelamento(guia_id)"
	"  WHERE situacao <> 'recusado';"
	/* The portal path: ready for upload since when, how it was sent. */
	"ALTER TABLE lote ADD COLUMN portalProntoEm TEXT;"
	"ALTER TABLE lote ADD COLUMN envioMeio TEXT;"
	/*
	 * The reconciliation (docs/ciclo.md), per billed guide: faturado,
	 * what the operator's first demonstrativo de pagamento says (else its
	 * latest análise): processado, liberado, glosado; pago, every
	 * demonstrativo de pagamento's liberado (an appeal's payment comes in
	 * a later one); acatado, what appeals granted; em_recurso, what is
	 * appealed and not answered; a_receber, what is still to come:
	 * faturado - pago - glosado + acatado (a glosa is lost unless an
	 * appeal grants it), nothing for a cancelled guide; dias since sent.
	 */
	"CREATE VIEW conciliacao_guia AS"
	" SELECT *, CASE WHEN cancelada THEN 0 ELSE max(0, faturado -"
	"  coalesce(pago, 0) - coalesce(glosado, 0) + coalesce(acatado, 0))"
	"  END AS a_receber FROM (SELECT l.competencia,"
	"  l.codigoPrestadorNaOperadora AS prestador, l.numeroLote,"
	"  l.numeroProtocolo, l.enviadoEm,"
	"  julianday('now') - julianday(l.enviadoEm) AS dias,"
	"  g.id AS guia_id, g.numeroGuiaPrestador,"
	"  coalesce(g.valorTotalProc, g.valorTotalInformado, 0) AS faturado,"
	"  d.valorProcessado AS processado, d.valorLiberado AS liberado,"
	"  d.valorGlosa AS glosado, d.id AS demonstrativo_guia_id,"
	"  (SELECT sum(p.valorLiberado) FROM demonstrativo_guia p JOIN"
	"   demonstrativo dm ON dm.id = p.demonstrativo_id WHERE"
	"   dm.tipo = 'pagamento' AND p.dataPagamento IS NOT NULL AND"
	"   p.codigoPrestador = g.codigoPrestadorNaOperadora AND"
	"   p.numeroGuiaPrestador = g.numeroGuiaPrestador) AS pago,"
	"  (SELECT max(p.dataPagamento) FROM demonstrativo_guia p WHERE"
	"   p.codigoPrestador = g.codigoPrestadorNaOperadora AND"
	"   p.numeroGuiaPrestador = g.numeroGuiaPrestador) AS dataPagamento,"
	"  (SELECT sum(ri.valorAcatado) FROM recurso_item ri WHERE"
	"   ri.codigoPrestador = g.codigoPrestadorNaOperadora AND"
	"   ri.numeroGuiaPrestador = g.numeroGuiaPrestador AND ri.ativo = 1)"
	"   AS acatado,"
	"  (SELECT sum(ri.valorRecursado) FROM recurso_item ri JOIN recurso r"
	"   ON r.id = ri.recurso_id WHERE ri.codigoPrestador ="
	"   g.codigoPrestadorNaOperadora AND ri.numeroGuiaPrestador ="
	"   g.numeroGuiaPrestador AND ri.ativo = 1 AND r.valorAcatado IS NULL)"
	"   AS em_recurso,"
	"  EXISTS (SELECT 1 FROM cancelamento c WHERE c.guia_id = g.id AND"
	"   c.situacao = 'cancelada') AS cancelada"
	" FROM guia g JOIN lote l ON l.id = g.lote_id"
	" LEFT JOIN demonstrativo_guia d ON d.id = (SELECT dg.id FROM"
	"  demonstrativo_guia dg JOIN demonstrativo dm ON"
	"  dm.id = dg.demonstrativo_id WHERE dg.codigoPrestador ="
	"  g.codigoPrestadorNaOperadora AND dg.numeroGuiaPrestador ="
	"  g.numeroGuiaPrestador ORDER BY dm.tipo = 'pagamento' DESC,"
	"  CASE dm.tipo WHEN 'pagamento' THEN dg.id ELSE -dg.id END LIMIT 1)"
	" WHERE l.status = 'enviado');"
	/* The same per lote (competência, prestador, lote). */
	"CREATE VIEW conciliacao_lote AS"
	" SELECT competencia, prestador, numeroLote, numeroProtocolo,"
	"  count(*) AS guias, sum(faturado) AS faturado,"
	"  sum(processado) AS processado, sum(liberado) AS liberado,"
	"  sum(glosado) AS glosado, sum(pago) AS pago,"
	"  sum(acatado) AS acatado, sum(em_recurso) AS em_recurso,"
	"  sum(a_receber) AS a_receber, sum(cancelada) AS canceladas,"
	"  sum(processado IS NULL AND NOT cancelada) AS sem_demonstrativo"
	" FROM conciliacao_guia GROUP BY 1, 2, 3;"
	/*
	 * The glosas by code: each glossed item's glosa counted under its
	 * first code (an item with two codes is not counted twice).
	 */
	"CREATE VIEW conciliacao_glosa AS"
	" SELECT c.competencia, c.prestador, gl.codigoGlosa,"
	"  max(gl.descricaoGlosa) AS descricaoGlosa, count(*) AS itens,"
	"  sum(i.valorGlosa) AS valor"
	" FROM conciliacao_guia c JOIN demonstrativo_guia dg ON"
	"  dg.id = c.demonstrativo_guia_id"
	" JOIN demonstrativo_glosa gl ON gl.guia_id = dg.id AND gl.rowid ="
	"  (SELECT min(g2.rowid) FROM demonstrativo_glosa g2 WHERE"
	"  g2.guia_id = gl.guia_id AND g2.sequencialItem IS gl.sequencialItem)"
	" LEFT JOIN demonstrativo_item i ON i.guia_id = dg.id AND"
	"  i.sequencialItem = gl.sequencialItem"
	" GROUP BY 1, 2, 3;",

	/*
	 * 8 -> 9: cheaper moves of guides between lotes (issue 17).  The
	 * two triggers on guia.lote_id (revisao, approval) each ran an
	 * UPDATE of lote per guide moved, and the approval one's "status IN
	 * (three names)" built an ephemeral table at each run (a trigger
	 * program's OP_Once is reset at each invocation): most of tiss-lote
	 * build's time.  One trigger now does both, with plain comparisons,
	 * one UPDATE of each lote by its id alone (one pass): the guarantees
	 * of 4 -> 5 and 6 -> 7 unchanged.  The trigger on INSERT goes: no
	 * program inserts a guide with a lote (the one INSERT of a guide,
	 * common/guide.c's, names no lote_id; t1300 pins it), and SQLite
	 * ran it for every guide imported even when its WHEN was false.
	 */
	"DROP TRIGGER guia_revisao_move;"
	"DROP TRIGGER guia_aprovacao_move;"
	"DROP TRIGGER guia_revisao_insert;"
	"CREATE TRIGGER guia_lote_move AFTER UPDATE OF lote_id ON guia "
	"WHEN old.lote_id IS NOT new.lote_id BEGIN "
	"UPDATE lote SET " LOTE_MOVED " WHERE id = new.lote_id;"
	"UPDATE lote SET " LOTE_MOVED " WHERE id = old.lote_id; END;",

	/*
	 * 9 -> 10: the validation fingerprint a guide was checked under
	 * (issue 17; docs/validation.md "When a guide is checked"): every
	 * input that can change its verdict besides its own values, as one
	 * 64-bit number.  A guide whose value is the current one and that
	 * has not changed since is not checked again.  NULL: never checked
	 * under one, so every guide of an older workspace is checked once.
	 */
	"ALTER TABLE guia ADD COLUMN validadoCom INTEGER;",
};

#define MIGRATIONS	(int)(sizeof(migrations) / sizeof(migrations[0]))

int
db_schema_version(void)
{
	return MIGRATIONS;
}

static int
db_user_version(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "PRAGMA user_version");
	int v = 0;

	if (db_step(db, st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Apply the migrations this database lacks, all in one transaction. */
void
migrate(sqlite3 *db, const char *path)
{
	int have, want = MIGRATIONS;
	char *sql;

	if (db_user_version(db) == want)
		return;
	db_exec(db, "BEGIN IMMEDIATE");
	have = db_user_version(db);
	if (have > want)
		fatal(EXIT_CONFIG, _("'%s' has schema version %d, newer than "
		    "this program's %d; install the newer tiss programs"), path,
		    have, want);
	for (; have < want; have++) {
		log_info(_("migrating '%s' to schema version %d"), path,
		    have + 1);
		db_exec(db, migrations[have]);
	}
	sql = sqlite3_mprintf("PRAGMA user_version = %d", want);
	db_exec(db, sql);
	sqlite3_free(sql);
	db_exec(db, "COMMIT");
}
