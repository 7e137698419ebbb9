#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "portal.h"
#include "state.h"
#include "util.h"

int
portal_ready(struct ws *ws, const struct lote_list *l)
{
	sqlite3_stmt *st = db_prepare(ws->db, "UPDATE lote SET portalProntoEm "
	    "= coalesce(portalProntoEm, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
	    "WHERE id = ? AND status = 'xml_gerado' RETURNING xmlArquivo");
	long i, n = 0;

	for (i = 0; i < l->n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, l->v[i].id);
		if (db_step(ws->db, st) != SQLITE_ROW)
			continue;
		printf(_("lote %lld of %s: ready for upload on the operator's "
		    "portal: %s; then record its protocolo with 'tiss-portal "
		    "protocolo -p %s %lld PROTOCOLO'\n"), l->v[i].numero,
		    l->v[i].prest, db_col_text(st, 0), l->v[i].prest,
		    l->v[i].numero);
		n++;
		while (db_step(ws->db, st) == SQLITE_ROW)
			;
	}
	sqlite3_finalize(st);
	log_notice(P_("%ld lote ready for the portal, none posted ([operadora] "
	    "envio = portal)", "%ld lotes ready for the portal, none posted "
	    "([operadora] envio = portal)", n), n);
	return EXIT_OK;
}

static int
protocolo_ok(const char *p)
{
	size_t i, n = strlen(p);

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]))
			return 0;
	return n >= 1 && n <= 12;
}

/* Mark lote id sent with protocolo, in the caller's transaction. */
static void
mark_sent(struct ws *ws, long long id, const char *protocolo,
    const char *data, int64_t valor)
{
	if (!state_lote_set(ws->db, id, LOTE_ENVIANDO) ||
	    !state_lote_set(ws->db, id, LOTE_ENVIADO))
		fatal(EXIT_TEMPFAIL, _("the lote changed meanwhile: run again"));
	db_run(ws->db, "UPDATE lote SET numeroProtocolo = ?, dataEnvioLote = "
	    "coalesce(?, date('now', 'localtime')), valorTotalProtocolo = ?, "
	    "envioMeio = 'portal', enviadoEm = strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now') WHERE id = ?", "ttmi", protocolo, data, (long long)valor, id);
	state_lote_guias_set(ws->db, id, GUIA_ENVIADA);
	db_run(ws->db, "INSERT INTO envio (lote_id, inicio, fim, sha256, "
	    "resultado, detalhe) SELECT id, strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), coalesce(xmlSha256, "
	    "''), 'protocolo', 'portal ' || ? FROM lote WHERE id = ?", "ti",
	    protocolo, id);
}

int
portal_record(struct ws *ws, const char *prest, long long numero,
    const char *protocolo, const char *data, int64_t valor, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	long long id = 0;
	char status[16] = "", have[16] = "";
	int ret = -1;

	if (!protocolo_ok(protocolo)) {
		snprintf(err, errlen, _("protocolo '%.40s' is not 1 to 12 letters "
		    "or digits"), protocolo);
		return -1;
	}
	db_exec(ws->db, "BEGIN IMMEDIATE");
	st = db_prepare(ws->db, "SELECT id, status, coalesce(numeroProtocolo, "
	    "'') FROM lote WHERE codigoPrestadorNaOperadora = ? AND "
	    "numeroLote = ?");
	db_bind_text(st, 1, prest);
	sqlite3_bind_int64(st, 2, numero);
	if (db_step(ws->db, st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(status, sizeof(status), "%s", db_col_text(st, 1));
		snprintf(have, sizeof(have), "%s", db_col_text(st, 2));
	}
	sqlite3_finalize(st);
	if (id == 0)
		snprintf(err, errlen, _("lote %lld of %s does not exist"), numero,
		    prest);
	else if (strcmp(status, "enviado") == 0 && strcmp(have, protocolo) == 0)
		ret = 1;
	else if (strcmp(status, "enviado") == 0)
		snprintf(err, errlen, _("lote %lld of %s has protocolo %s already"),
		    numero, prest, have);
	else if (strcmp(status, "xml_gerado") != 0)
		snprintf(err, errlen, _("lote %lld of %s is %s: only a lote whose "
		    "XML was generated can have been uploaded"), numero, prest,
		    status);
	else {
		mark_sent(ws, id, protocolo, data, valor);
		ret = 0;
	}
	db_exec(ws->db, ret == 0 ? "COMMIT" : "ROLLBACK");
	return ret;
}
