/*
 * tiss-portal: the lotes of an operator without a web service
 * ([operadora] envio = portal), uploaded by a person on its portal.
 *
 *   list                          the lotes ready for upload (tiss-send
 *                                 marked them) and their XML files;
 *   protocolo LOTE PROTOCOLO [DATA]
 *                                 record the protocolo the portal shows;
 *   recibo FILE                   the same from the portal's receipt (a
 *                                 protocoloRecebimentoWS, with or without
 *                                 its SOAP envelope, or a mensagemTISS),
 *                                 checked against the official schema and
 *                                 its hash first.
 *
 * The lote then is 'enviado' with that protocolo, as if a web service
 * had answered; recording the same protocolo again changes nothing.
 *
 * Exit: see tiss-portal(1) and tiss(7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/exchange.h"
#include "common/exitcodes.h"
#include "common/ifile.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/portal.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

#define RECIBO_MAX	(1L << 20)	/* a receipt is a few kilobytes */

static const char usage_text[] =
    "tiss-portal [-C DIR] [-p PRESTADOR] list\n"
    "tiss-portal [-C DIR] -p PRESTADOR protocolo LOTE PROTOCOLO [DATA]\n"
    "tiss-portal [-C DIR] [-p PRESTADOR] recibo FILE\n";

static int
cmd_list(struct ws *ws, const char *prest)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT "
	    "codigoPrestadorNaOperadora, numeroLote, competencia, xmlArquivo, "
	    "portalProntoEm FROM lote WHERE status = 'xml_gerado' AND "
	    "portalProntoEm IS NOT NULL AND (?1 IS NULL OR "
	    "codigoPrestadorNaOperadora = ?1) ORDER BY 1, 2");

	db_bind_text(st, 1, prest);
	while (db_step(ws->db, st) == SQLITE_ROW)
		printf("%s\t%s\t%s\t%s\t%s\n", db_col_text(st, 0),
		    db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
		    db_col_text(st, 4));
	sqlite3_finalize(st);
	return EXIT_OK;
}

static int
record(struct ws *ws, const char *prest, long long lote, const char *protocolo,
    const char *data, int64_t valor)
{
	char err[512];
	int r = portal_record(ws, prest, lote, protocolo, data, valor, err,
	    sizeof(err));

	if (r < 0) {
		log_error(_("%s; nothing recorded"), err);
		return EXIT_DATAERR;
	}
	printf(r == 1 ? _("lote %lld of %s: protocolo %s (recorded already)\n") :
	    _("lote %lld of %s: protocolo %s\n"), lote, prest, protocolo);
	return EXIT_OK;
}

static int
cmd_protocolo(struct ws *ws, const char *prest, char **args, int n)
{
	char iso[11];
	const char *e;

	if (prest == NULL || n < 2 || n > 3)
		return -1;
	if (n == 3 && (e = parse_date(args[2], iso)) != NULL)
		fatal(EXIT_USAGE, _("DATA '%s': %s"), args[2], e);
	return record(ws, prest, cli_lote("LOTE", args[0]), args[1],
	    n == 3 ? iso : NULL, -1);
}

/* A mensagemTISS receipt: checked; its protocoloRecebimento into a. */
static int
read_mensagem(struct exchange *x, xmlDocPtr doc, struct tissmsg_answer *a)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), r, p;
	char hash[33], given[64] = "";

	if (xml_schema_check(x->msg_schema, doc, a->why, sizeof(a->why)) != 0)
		return -1;
	if (xml_tiss_hash(root, x->p.hash_encoding, hash) != 0 ||
	    xml_child_text(xml_child(root, "epilogo"), "hash", given,
	    sizeof(given)) == NULL || strcasecmp(hash, given) != 0) {
		snprintf(a->why, sizeof(a->why), _("the file's hash is wrong: it "
		    "may be corrupt or edited"));
		return -1;
	}
	r = xml_child(xml_child(root, "operadoraParaPrestador"),
	    "recebimentoLote");
	if ((p = xml_child(r, "mensagemErro")) != NULL) {
		xml_child_text(p, "codigoGlosa", a->code, sizeof(a->code));
		snprintf(a->why, sizeof(a->why), _("the portal refused the lote: "
		    "%s %s"), a->code, tissmsg_glosa_text(a->code, NULL));
		return -1;
	}
	p = xml_child(r, "protocoloRecebimento");
	a->detalhe = xml_child(p, "detalheProtocolo");
	if (xml_child_text(a->detalhe, "numeroProtocolo",
	    a->protocolo, sizeof(a->protocolo)) == NULL) {
		snprintf(a->why, sizeof(a->why), _("not a receipt of a lote"));
		return -1;
	}
	xml_child_text(p, "numeroLote", a->numero_lote, sizeof(a->numero_lote));
	xml_child_text(p, "dataEnvioLote", a->data, sizeof(a->data));
	a->valor = xml_child_hundredths(xml_child(p, "detalheProtocolo"),
	    "valorTotalProtocolo");
	return 0;
}

/* Read the receipt in b into a; 0, or -1 with a->why. */
static int
read_recibo(struct exchange *x, const struct buf *b, struct tissmsg_answer *a)
{
	struct buf soap = { 0 };
	xmlDocPtr doc;
	xmlNodePtr root;
	int ret = -1;

	memset(a, 0, sizeof(*a));
	if ((doc = xml_parse_memory(b->data, b->len, "receipt", a->why,
	    sizeof(a->why))) == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (strcmp((const char *)root->name, "mensagemTISS") == 0) {
		a->doc = doc;
		return read_mensagem(x, doc, a);
	}
	if (strcmp((const char *)root->name, "Envelope") == 0)
		buf_add(&soap, b->data, b->len);
	else
		xml_soap_wrap(&soap, b->data, b->len);
	xmlFreeDoc(doc);
	if (tissmsg_read_protocolo(soap.data, soap.len, 200,
	    x->p.hash_encoding, x->schema, a) == TISSMSG_OK)
		ret = 0;
	else if (a->verdict == TISSMSG_REJECTED)
		snprintf(a->why, sizeof(a->why), _("the portal refused the lote: "
		    "%s %s"), a->code, tissmsg_glosa_text(a->code, a->text));
	buf_release(&soap);
	return ret;
}

/* recibo FILE ("-": standard input, ifile.h). */
static int
cmd_recibo(struct ws *ws, const char *only, const char *path)
{
	struct exchange x;
	struct tissmsg_answer a;
	struct buf b = { 0 };
	char prest[32] = "";
	const char *shown = ifile_shown(path);
	int ret = EXIT_DATAERR;

	if (ifile_read(path, &b, RECIBO_MAX) != 0) {
		ret = errno == EFBIG ? EXIT_DATAERR : EXIT_NOINPUT;
		if (ret == EXIT_DATAERR)
			log_error(_("%s: larger than 1 MiB: not a receipt"),
			    shown);
		else
			log_error(_("cannot read '%s': %s"), shown,
			    strerror(errno));
		buf_release(&b);
		return ret;
	}
	exchange_open(&x, ws, 0, 1);
	if (read_recibo(&x, &b, &a) != 0)
		log_error(_("%s: %s; nothing recorded"), shown, a.why);
	else if (xml_child_text(xml_child(a.detalhe ? a.detalhe->parent : NULL,
	    "dadosPrestador"),
	    "codigoPrestadorNaOperadora", prest, sizeof(prest)) == NULL ||
	    (only && strcmp(only, prest) != 0))
		log_error(only ? _("%s: the receipt is of prestador '%s', not "
		    "%s; nothing recorded") : _("%s: the receipt is of prestador "
		    "'%s', not a known one; nothing recorded"), shown, prest,
		    only);
	else
		ret = record(ws, prest, atoll(a.numero_lote), a.protocolo,
		    a.data[0] ? a.data : NULL, a.valor);
	tissmsg_answer_release(&a);
	exchange_close(&x);
	buf_release(&b);
	return ret;
}

int
main(int argc, char *argv[])
{
	const struct cli_spec spec = { .name = "tiss-portal",
	    .usage = usage_text, .subcommands = 1, .min_operands = 1,
	    .max_operands = CLI_MANY };
	struct cli cli;
	struct ws ws;
	const char *cmd;
	int first, n, ret = -1;

	first = cli_parse(&cli, &spec, argc, argv);
	cmd = argv[first];
	n = argc - first - 1;
	xml_init();
	ws_open(&ws, ws_dir(cli.workspace));
	if (strcmp(cmd, "list") == 0 && n == 0)
		ret = cmd_list(&ws, cli.prestador);
	else if (strcmp(cmd, "protocolo") == 0)
		ret = cmd_protocolo(&ws, cli.prestador, argv + first + 1, n);
	else if (strcmp(cmd, "recibo") == 0 && n == 1)
		ret = cmd_recibo(&ws, cli.prestador, argv[first + 1]);
	if (ret < 0) {
		ws_close(&ws);
		cli_usage(&spec);
	}
	ws_close(&ws);
	xml_cleanup();
	return close_stdout(ret);
}
