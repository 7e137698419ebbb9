/*
 * HTTPS to the operator with libcurl, as the profile says: TLS 1.2 or
 * newer with verification on, CA file, client certificate (PEM or
 * PKCS#12, its password from a secret), connect and total timeouts, and
 * a cap on the size of an answer.
 */
#ifndef TISS_HTTP_H
#define TISS_HTTP_H

#include <curl/curl.h>

#include "util.h"
#include "ws.h"

#define HTTP_MAX_ANSWER	(16L << 20)	/* bytes */

/* How to reach a server: a section of tiss.conf ([operadora], ...). */
struct http_cfg {
	/* Pointers into the workspace's configuration; NULL when unset. */
	const char *ca_file;		/* CAs to trust; else the system's */
	const char *client_cert;	/* PEM or PKCS#12 */
	const char *client_cert_type;	/* "PEM" or "P12" */
	const char *client_key;		/* PEM key, when not in client_cert */
	const char *client_key_secret;	/* secret with the key's password */
	long	 connect_timeout;	/* seconds */
	long	 timeout;		/* seconds, a whole exchange */
	long	 retries;		/* after the first try, within a run */
	long	 retry_delay;		/* seconds before the first retry */
};

/* Read those keys of section; exits 78 naming the key when one is bad. */
void	 http_cfg_load(struct http_cfg *c, const struct ws *ws,
	    const char *section);

/* Exit 78 unless url is an https:// address (key names it). */
void	 http_check_url(const struct ws *ws, const char *section,
	    const char *key, const char *url);

struct http {
	CURL	*curl;
	struct curl_slist *headers;
	char	*key_password;		/* a secret: wiped when closed */
};

struct http_answer {
	long	 status;		/* HTTP status; 0 when none came */
	struct buf body;
	char	 error[CURL_ERROR_SIZE + 64];	/* when no answer came */
	int	 sent_nothing;		/* 1 when no request byte left */
	int	 tls_failed;		/* 1 when TLS could not be set up */
	int	 too_big;		/* 1 when the answer passed the cap */
};

/* Set up from c; exits 77 or 78 when a file or secret is bad. */
void	 http_open(struct http *h, const struct ws *ws, const struct http_cfg *c);
void	 http_close(struct http *h);

/*
 * POST a SOAP 1.1 request.  Returns 0 when an HTTP answer came (whatever
 * its status), -1 when none did (a->error says why).
 */
int	 http_post_soap(struct http *h, const char *url, const void *body,
	    size_t n, struct http_answer *a);

/* GET with HTTP Basic credentials (user NULL: none); as http_post_soap. */
int	 http_get(struct http *h, const char *url, const char *user,
	    const char *password, struct http_answer *a);

void	 http_answer_release(struct http_answer *a);

/*
 * The exit code for an exchange that gave no usable answer: no answer
 * (TLS 69, too large 76, else 75), or by HTTP status (401 and 403 77;
 * 408, 429 and 5xx 75; any other 69).
 */
int	 http_exit_code(const struct http_answer *a);

#endif
