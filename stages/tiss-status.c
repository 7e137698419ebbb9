/*
 * tiss-status: ask the operator how its protocolos stand (situação do
 * protocolo).
 *
 * For each lote 'enviado' whose protocolo is not final (statusProtocolo
 * 4 Encerrado sem pagamento, 6 Pagamento Efetuado or 9 Cancelado), or
 * those named with --lote: send SOLIC_STATUS_PROTOCOLO through
 * tissSolicitacaoStatusProtocolo (the request built with libxml2, its
 * hash set, checked against tissWebServicesVx_xx_xx.xsd), read the
 * situacaoProtocoloWS answer the same careful way tiss-send does, and
 * store statusProtocolo, the values processado, glosa and liberado of
 * the lote and of each guide, and the glosas with their codes and texts.
 *
 * Exit: 0 every status stored (also when none was due), 64 usage, 66 a
 * named lote does not exist, 69 the operator refuses (HTTP 4xx, TLS),
 * 75 no answer after the retries, 76 unreadable answers, 77 login
 * refused or secrets too open, 78 configuration.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/http.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/profile.h"
#include "common/protocolo.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

#define ANS_NS	"http://www.ans.gov.br/padroes/tiss/schemas"

struct checker {
	struct ws ws;
	struct profile p;
	struct http http;
	xmlSchemaPtr schema;
	char	*password_md5;
};

struct lote {
	long long id;
	char	 prest[64];
	long	 numero;
	char	 protocolo[16];
};

static void
usage(void)
{
	fprintf(stderr, "usage: tiss-status [-C DIR] [-p PRESTADOR] "
	    "[--lote N]... [-q] [-v]\n");
	exit(EXIT_USAGE);
}

static xmlNodePtr
add(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	return xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST text);
}

/* The SOLIC_STATUS_PROTOCOLO request for lote l, in an envelope. */
static int
build_request(struct checker *c, const struct lote *l, struct buf *req,
    char *err, size_t errlen)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root, cab, n, hash;
	xmlNsPtr ns;
	xmlChar *bytes = NULL;
	char day[16], hour[16], seq[32], hex[33];
	time_t now = time(NULL);
	int len = 0, ret = -1;

	strftime(day, sizeof(day), "%Y-%m-%d", localtime(&now));
	strftime(hour, sizeof(hour), "%H:%M:%S", localtime(&now));
	snprintf(seq, sizeof(seq), "%lld", (long long)now % 1000000000000LL);
	root = xmlNewNode(NULL, BAD_CAST "solicitacaoStatusProtocoloWS");
	ns = xmlNewNs(root, BAD_CAST ANS_NS, BAD_CAST "ans");
	xmlSetNs(root, ns);
	xmlDocSetRootElement(doc, root);
	cab = xmlNewChild(root, ns, BAD_CAST "cabecalho", NULL);
	n = xmlNewChild(cab, ns, BAD_CAST "identificacaoTransacao", NULL);
	add(n, ns, "tipoTransacao", "SOLIC_STATUS_PROTOCOLO");
	add(n, ns, "sequencialTransacao", seq);
	add(n, ns, "dataRegistroTransacao", day);
	add(n, ns, "horaRegistroTransacao", hour);
	n = xmlNewChild(cab, ns, BAD_CAST "origem", NULL);
	n = xmlNewChild(n, ns, BAD_CAST "identificacaoPrestador", NULL);
	add(n, ns, "codigoPrestadorNaOperadora", l->prest);
	n = xmlNewChild(cab, ns, BAD_CAST "destino", NULL);
	add(n, ns, "registroANS", c->p.registro_ans);
	add(cab, ns, "Padrao", c->p.versao);
	if (c->p.login) {
		n = xmlNewChild(cab, ns, BAD_CAST "loginSenhaPrestador", NULL);
		add(n, ns, "loginPrestador", c->p.login);
		add(n, ns, "senhaPrestador", c->password_md5);
	}
	n = xmlNewChild(root, ns, BAD_CAST "solicitacaoStatusProtocolo", NULL);
	add(xmlNewChild(n, ns, BAD_CAST "dadosPrestador", NULL), ns,
	    "codigoPrestadorNaOperadora", l->prest);
	add(n, ns, "numeroProtocolo", l->protocolo);
	hash = add(root, ns, "hash", "");
	if (xml_tiss_hash(root, c->p.hash_encoding, hex) != 0) {
		snprintf(err, errlen, "a value cannot be written in %s",
		    c->p.hash_encoding);
		goto out;
	}
	xmlNodeSetContent(hash, BAD_CAST hex);
	if (xml_schema_check(c->schema, doc, err, errlen) != 0)
		goto out;
	xmlDocDumpMemoryEnc(doc, &bytes, &len, "ISO-8859-1");
	if (bytes == NULL)
		fatal(EXIT_SOFTWARE, "cannot serialize XML");
	xml_soap_wrap(req, (const char *)bytes, (size_t)len);
	ret = 0;
out:
	xmlFree(bytes);
	xmlFreeDoc(doc);
	return ret;
}

/*
 * Read and store a situacaoProtocoloWS.  Returns EXIT_OK, EXIT_DATAERR
 * (the operator answered with an error, stored nothing), EXIT_PROTOCOL.
 */
static int
store_answer(struct checker *c, const struct lote *l, xmlDocPtr doc,
    char *err, size_t errlen)
{
	xmlNodePtr body = xml_soap_body(doc), sit, n, det, g;
	char hash[33], given[64], code[16] = "", text[512] = "", num[32];
	char vp[32], vg[32], vl[32];
	int64_t proc, glosa, lib, v;
	sqlite3_stmt *st;
	int status, i;

	if (body == NULL) {
		snprintf(err, errlen, "not a SOAP envelope with a body");
		return EXIT_PROTOCOL;
	}
	if (strcmp((const char *)body->name, "Fault") == 0) {
		xml_child_text(body, "faultstring", text, sizeof(text));
		snprintf(err, errlen, "the operator answered a fault: %s", text);
		return EXIT_PROTOCOL;
	}
	if (strcmp((const char *)body->name, "situacaoProtocoloWS") != 0 ||
	    xml_schema_check_node(c->schema, body, err, errlen) != 0) {
		if (strcmp((const char *)body->name, "situacaoProtocoloWS"))
			snprintf(err, errlen, "the answer is a %s, not a "
			    "situacaoProtocoloWS", body->name);
		return EXIT_PROTOCOL;
	}
	if (xml_tiss_hash(body, c->p.hash_encoding, hash) != 0 ||
	    xml_child_text(body, "hash", given, sizeof(given)) == NULL ||
	    strcasecmp(hash, given) != 0) {
		snprintf(err, errlen, "the answer's hash is wrong: it may be "
		    "corrupt");
		return EXIT_PROTOCOL;
	}
	sit = xml_child(body, "situacaoProtocolo");
	n = xml_child(xml_child(xml_child(sit, "situacaoDoProtocolo"), "lote"),
	    "mensagemErro");
	if (n == NULL)
		n = xml_child(sit, "mensagemErro");
	if (n != NULL) {
		xml_child_text(n, "codigoGlosa", code, sizeof(code));
		xml_child_text(n, "descricaoGlosa", text, sizeof(text));
		snprintf(err, errlen, "the operator answered %s %s", code, text);
		return EXIT_DATAERR;
	}
	det = xml_child(xml_child(xml_child(sit, "situacaoDoProtocolo"), "lote"),
	    "detalheLote");
	if (det == NULL || xml_child_text(det, "numeroProtocolo", num,
	    sizeof(num)) == NULL || strcmp(num, l->protocolo) != 0) {
		snprintf(err, errlen, "the answer is not about protocolo %s",
		    l->protocolo);
		return EXIT_PROTOCOL;
	}
	xml_child_text(det, "statusProtocolo", code, sizeof(code));
	status = atoi(code);
	n = xml_child(det, "valorTotalLote");
	proc = xml_child_hundredths(n, "valorProcessado");
	glosa = xml_child_hundredths(n, "valorGlosa");
	lib = xml_child_hundredths(n, "valorLiberado");

	db_exec(c->ws.db, "BEGIN IMMEDIATE");
	st = db_prepare(c->ws.db, "UPDATE lote SET statusProtocolo = ?, "
	    "valorProcessado = ?, valorGlosa = ?, valorLiberado = ?, "
	    "statusConsultadoEm = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
	    "WHERE id = ?");
	sqlite3_bind_int(st, 1, status);
	for (i = 0; i < 3; i++) {
		v = i == 0 ? proc : i == 1 ? glosa : lib;
		if (v >= 0)
			sqlite3_bind_int64(st, 2 + i, v);
	}
	sqlite3_bind_int64(st, 5, l->id);
	db_step(c->ws.db, st);
	sqlite3_finalize(st);
	/* The latest status replaces the glosas of the one before. */
	st = db_prepare(c->ws.db, "DELETE FROM glosa WHERE lote_id = ? AND "
	    "fonte = 'status'");
	sqlite3_bind_int64(st, 1, l->id);
	db_step(c->ws.db, st);
	sqlite3_finalize(st);
	g = xml_child(xml_child(det, "guiasTISS"), "guiasOdonto");
	for (; g; g = xmlNextElementSibling(g))
		if ((n = xml_child(g, "guias")) != NULL)
			protocolo_store_guide(c->ws.db, l->id, n, "status");
	db_exec(c->ws.db, "COMMIT");

	printf("lote %ld of %s: protocolo %s: %d %s", l->numero, l->prest,
	    l->protocolo, status, protocolo_status_name(status));
	if (proc >= 0 && glosa >= 0 && lib >= 0) {
		format_hundredths(proc, vp);
		format_hundredths(glosa, vg);
		format_hundredths(lib, vl);
		printf("; processado %s, glosa %s, liberado %s", vp, vg, vl);
	}
	printf("\n");
	return EXIT_OK;
}

static int
check_lote(struct checker *c, const struct lote *l)
{
	struct buf req = { 0 };
	struct http_answer h;
	char err[1024] = "";
	long i, delay = c->p.net.retry_delay;
	xmlDocPtr doc;
	int ret = EXIT_TEMPFAIL;

	if (build_request(c, l, &req, err, sizeof(err)) != 0) {
		log_error("lote %ld of %s: %s", l->numero, l->prest, err);
		buf_release(&req);
		return EXIT_SOFTWARE;
	}
	for (i = 0; i <= c->p.net.retries; i++) {
		if (i > 0) {
			log_warn("lote %ld of %s: %s; retrying in %ld s",
			    l->numero, l->prest, err, delay);
			sleep((unsigned)delay);
			delay *= 2;
		}
		if (http_post_soap(&c->http, c->p.status_endpoint, req.data,
		    req.len, &h) != 0) {
			snprintf(err, sizeof(err), "%s", h.error);
			ret = http_exit_code(&h);
		} else if ((doc = xml_parse_memory(h.body.data ? h.body.data :
		    "", h.body.len, "answer", err, sizeof(err))) != NULL) {
			ret = store_answer(c, l, doc, err, sizeof(err));
			xmlFreeDoc(doc);
		} else if (h.status == 200)
			ret = EXIT_PROTOCOL;
		if (ret != EXIT_OK && h.status != 200 && h.status != 0 &&
		    h.status != 500) {
			snprintf(err, sizeof(err), "the operator answered HTTP "
			    "%ld", h.status);
			ret = http_exit_code(&h);
		}
		http_answer_release(&h);
		if (ret != EXIT_TEMPFAIL && ret != EXIT_PROTOCOL)
			break;
	}
	if (ret != EXIT_OK)
		log_error("lote %ld of %s, protocolo %s: no status: %s",
		    l->numero, l->prest, l->protocolo, err);
	buf_release(&req);
	return ret;
}

static int
worse(int a, int b)
{
	return a == EXIT_OK || (a == EXIT_DATAERR && b != EXIT_OK) ? b : a;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "lote", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *prest = NULL, **named = NULL;
	struct lote *lotes = NULL, *l;
	struct checker c;
	sqlite3_stmt *st;
	long nlotes = 0, i;
	int ch, k, nnamed = 0, level = LOG_NORMAL, ret = EXIT_OK, r;
	char err[512], *path;

	memset(&c, 0, sizeof(c));
	while ((ch = getopt_long(argc, argv, "C:hp:qv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'l':
			named = xrealloc(named, (size_t)(nnamed + 1) * sizeof(*named));
			named[nnamed++] = optarg;
			break;
		case 'p':
			prest = optarg;
			break;
		case 'q':
			level = LOG_QUIET;
			break;
		case 'v':
			level++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("tiss-status", level);
	xml_init();
	ws_open(&c.ws, ws_dir(dir));
	profile_load(&c.p, &c.ws);
	profile_require_xml(&c.p, &c.ws);

	st = db_prepare(c.ws.db, "SELECT id, codigoPrestadorNaOperadora, "
	    "numeroLote, numeroProtocolo, status FROM lote WHERE "
	    "(?1 IS NULL OR codigoPrestadorNaOperadora = ?1) AND "
	    "(?2 IS NULL OR numeroLote = ?2) AND (?2 IS NOT NULL OR "
	    "(status = 'enviado' AND (statusProtocolo IS NULL OR "
	    "statusProtocolo NOT IN (4, 6, 9)))) "
	    "ORDER BY codigoPrestadorNaOperadora, numeroLote");
	for (k = 0; k < (nnamed ? nnamed : 1); k++) {
		int found = 0;

		sqlite3_reset(st);
		db_bind_text(st, 1, prest);
		if (nnamed)
			sqlite3_bind_int64(st, 2, atoll(named[k]));
		else
			sqlite3_bind_null(st, 2);
		while (db_step(c.ws.db, st) == SQLITE_ROW) {
			found = 1;
			if (strcmp(db_col_text(st, 4), "enviado") != 0) {
				log_notice("lote %s of %s is %s: only a sent "
				    "lote has a protocolo", named[k],
				    db_col_text(st, 1), db_col_text(st, 4));
				continue;
			}
			lotes = xrealloc(lotes, (size_t)(nlotes + 1) *
			    sizeof(*lotes));
			l = &lotes[nlotes++];
			l->id = sqlite3_column_int64(st, 0);
			snprintf(l->prest, sizeof(l->prest), "%s",
			    db_col_text(st, 1));
			l->numero = sqlite3_column_int(st, 2);
			snprintf(l->protocolo, sizeof(l->protocolo), "%s",
			    db_col_text(st, 3));
		}
		if (nnamed && !found) {
			log_error("no lote numbered '%s'", named[k]);
			ret = EXIT_NOINPUT;
		}
	}
	sqlite3_finalize(st);

	if (nlotes > 0) {
		if (c.p.status_endpoint == NULL)
			fatal(EXIT_CONFIG, "%s: set [operadora] status_endpoint "
			    "to the operator's tissSolicitacaoStatusProtocolo "
			    "address (https://...)", c.ws.cfg.path);
		path = profile_schema(&c.p, "tissWebServicesV");
		if ((c.schema = xml_schema_load(path, err, sizeof(err))) == NULL)
			fatal(EXIT_CONFIG, "cannot load the TISS schema '%s': "
			    "%s", path, err);
		free(path);
		c.password_md5 = profile_login_md5(&c.p, &c.ws);
		http_open(&c.http, &c.ws, &c.p.net);
		for (i = 0; i < nlotes; i++) {
			r = check_lote(&c, &lotes[i]);
			ret = worse(ret, r);
			if (r == EXIT_NOPERM || r == EXIT_UNAVAILABLE)
				break;
			fflush(stdout);
		}
		http_close(&c.http);
	}
	log_info("%ld protocolo%s asked", nlotes, nlotes == 1 ? "" : "s");
	free(lotes);
	free(named);
	free(c.password_md5);
	xmlSchemaFree(c.schema);
	ws_close(&c.ws);
	xml_cleanup();
	return close_stdout(ret);
}
