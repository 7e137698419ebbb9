/*
 * One exchange with the operator's web services after the send
 * (tiss-demonstrativo, tiss-recurso, tiss-cancela): the profile, the
 * official schema, the login and the HTTPS client set up once; a request
 * checked against the schema and wrapped in SOAP; a POST retried by the
 * one retry policy (http_retry_wait) while the outcome is unknown; the
 * exit code of a verdict.  tiss-status uses it too; tiss-send has its
 * own attempt loop (what an attempt reached decides a lote's state) but
 * the same exchange_code.
 */
#ifndef TISS_EXCHANGE_H
#define TISS_EXCHANGE_H

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "http.h"
#include "profile.h"
#include "tissmsg.h"
#include "util.h"
#include "ws.h"

struct exchange {
	struct ws *ws;			/* borrowed */
	struct profile p;
	struct http http;
	xmlSchemaPtr schema;		/* tissWebServicesVx_xx_xx.xsd */
	xmlSchemaPtr msg_schema;	/* tissVx_xx_xx.xsd, when asked for */
	char	*password_md5;		/* of the login's secret, or NULL */
	int	 net;			/* http is open */
};

/*
 * Load ws's profile, the login's password (its MD5) and the schema (and
 * tissV, the mensagemTISS schema, when msg is 1); with net 1 also the
 * network keys and the HTTPS client.
 * Exits 78 on a bad profile or schema, as profile_net_load otherwise.
 * It is exchange_init, then exchange_connect.
 */
void	 exchange_open(struct exchange *x, struct ws *ws, int net, int msg);
/*
 * The first half of exchange_open: only the profile, for a program that
 * may find nothing to ask.  Exits 78 on a bad profile.
 */
void	 exchange_init(struct exchange *x, struct ws *ws);
/*
 * The second half, after exchange_init: the login, the schemas and,
 * with net, the network keys and the client.  Exits as exchange_open.
 */
void	 exchange_connect(struct exchange *x, int net, int msg);
/* Free what exchange_open set up.  Never fails. */
void	 exchange_close(struct exchange *x);

/* The cabecalho of a request of type tipo from prestador, now. */
void	 exchange_cab(const struct exchange *x, const char *tipo,
	    const char *prestador, struct tissmsg_cab *cab);

/*
 * doc (a request from tissmsg, may be NULL after its builder failed,
 * err then set) checked against the schema and wrapped in SOAP into req
 * (the caller's).  Frees doc.  Returns 0, or -1 with err.
 */
int	 exchange_request(struct exchange *x, xmlDocPtr doc, struct buf *req,
	    char *err, size_t errlen);

/*
 * Read an answer h: returns an exit code (exchange_code's for what it
 * read), EXIT_OK when it was read and used; EXIT_TEMPFAIL or
 * EXIT_PROTOCOL make exchange_post try again.
 */
typedef int exchange_read_fn(const struct http_answer *h, void *ctx,
    char *err, size_t errlen);

/*
 * POST req to url and give each answer to read, trying again while the
 * outcome is unknown (no answer, 408/429/5xx, a server's fault, an
 * unreadable answer) as http_retry_wait allows; where names the thing
 * for the log.  Returns the last exit code (EXIT_OK when read took an
 * answer), err saying why when not 0.
 */
int	 exchange_post(struct exchange *x, const char *url,
	    const struct buf *req, const char *where, exchange_read_fn *read,
	    void *ctx, char *err, size_t errlen);

/*
 * exchange_request and exchange_post in one: doc (as exchange_request
 * takes it; freed) checked and wrapped, then posted to url, each answer
 * given to read.  Returns -1 with err when the request could not be
 * built or checked (nothing was sent: the caller's data is wrong), else
 * exchange_post's exit code, err saying why when not 0.
 */
int	 exchange_ask(struct exchange *x, xmlDocPtr doc, const char *url,
	    const char *where, exchange_read_fn *read, void *ctx, char *err,
	    size_t errlen);

/*
 * The exit code of answer h read as verdict v, fault 1 when it was a
 * SOAP Fault (tissmsg_answer.fault): OK 0, REJECTED 65, LOGIN 77,
 * UNKNOWN 75, GARBLED 76; but an answer that cannot be read and is no
 * Fault, on an HTTP status other than 200, is not a TISS answer (an
 * error page): what the status says (http_exit_code), err then saying
 * so.  A Fault is never read again by its HTTP status: tissmsg's rule
 * (tissmsg.h) decides it for every program, tiss-send included.
 */
int	 exchange_code(enum tissmsg_verdict v, int fault,
	    const struct http_answer *h, char *err, size_t errlen);

/* A reader of tissmsg (tissmsg_read_situacao, ...). */
typedef enum tissmsg_verdict tissmsg_reader_fn(const char *data, size_t n,
    long status, const char *encoding, xmlSchemaPtr schema,
    struct tissmsg_answer *a);

/*
 * Read answer h with reader, in x's hash encoding and schema, into a
 * (release it with tissmsg_answer_release): returns exchange_code's exit
 * code, err set to why (empty when the answer was read whole).
 */
int	 exchange_read(const struct exchange *x, const struct http_answer *h,
	    tissmsg_reader_fn *reader, struct tissmsg_answer *a, char *err,
	    size_t errlen);

#endif
