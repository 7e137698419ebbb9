/*
 * HTTPS with libcurl for every stage that talks to a server (tiss-send,
 * tiss-status, tiss-fetch): TLS 1.2 or newer with verification on, a CA
 * file, a client certificate (PEM or PKCS#12), connect and total
 * timeouts, a cap on the size of an answer, and the one retry policy.
 *
 * The client knows nothing of workspaces or secrets: its caller (the
 * profile, profile.h) resolves the paths and reads the key's password,
 * and passes Basic credentials to http_get.
 */
#ifndef TISS_HTTP_H
#define TISS_HTTP_H

#include <curl/curl.h>

#include "util.h"

#define HTTP_MAX_ANSWER	(16L << 20)	/* bytes */
#define HTTP_MAX_DELAY	300L		/* seconds, one retry's wait at most */

/* When to try again, and how long to wait; see http_retry_wait. */
struct http_retry {
	long	 retries;		/* after the first try, per exchange */
	long	 delay;			/* seconds before the first retry */
	long	 max_total;		/* seconds of waiting a handle may spend */
};

/*
 * How to reach a server.  Every pointer is borrowed from the caller,
 * which keeps it alive until http_close; NULL when unset.
 */
struct http_cfg {
	const char *ca_file;		/* CAs to trust (a path); else the system's */
	const char *client_cert;	/* path of a PEM or PKCS#12 file */
	const char *client_cert_type;	/* "PEM" or "P12" */
	const char *client_key;		/* path of a PEM key, when not in the cert */
	const char *key_password;	/* the key's password (a secret) */
	long	 connect_timeout;	/* seconds */
	long	 timeout;		/* seconds, a whole exchange */
	struct http_retry retry;
};

struct http {
	CURL	*curl;
	struct curl_slist *headers;
	const struct http_cfg *cfg;	/* borrowed */
	long	 waited;		/* seconds spent waiting to retry */
};

struct http_answer {
	long	 status;		/* HTTP status; 0 when none came */
	struct buf body;
	char	 error[CURL_ERROR_SIZE + 128];	/* when no answer came */
	int	 sent_nothing;		/* 1 when no request byte left */
	int	 tls_failed;		/* 1 when TLS refused us or the server */
	int	 local_cfg;		/* 1 when our certificate/CA file is bad */
	int	 too_big;		/* 1 when the answer passed the cap */
};

/*
 * Set h up from c (kept by pointer until http_close).  Exits 70 when
 * libcurl cannot be set up, 78 when it refuses an option.
 */
void	 http_open(struct http *h, const struct http_cfg *c);
/* Free what http_open set up; h may then be opened again.  Never fails. */
void	 http_close(struct http *h);

/*
 * POST a SOAP 1.1 request.  Returns 0 when an HTTP answer came (whatever
 * its status), -1 when none did (a->error says why).  a is overwritten;
 * release it with http_answer_release.
 */
int	 http_post_soap(struct http *h, const char *url, const void *body,
	    size_t n, struct http_answer *a);

/* GET with HTTP Basic credentials (user NULL: none); as http_post_soap. */
int	 http_get(struct http *h, const char *url, const char *user,
	    const char *password, struct http_answer *a);

/* Free the body of a; a may be reused.  Never fails. */
void	 http_answer_release(struct http_answer *a);

/*
 * The exit code for an exchange that gave no usable answer: no answer
 * (TLS refused 69, our certificate or CA file unusable 78, too large
 * 76, else 75), or by HTTP status (401 and 403 77; 408, 429 and 5xx 75;
 * any other 69).
 */
int	 http_exit_code(const struct http_answer *a);

/*
 * Whether an exchange that ended with exit code code means the next one
 * with the operator fails too: the login refused (77), TLS or the
 * endpoint refused (69), our configuration (78).  A program going
 * through its lotes stops there.
 */
int	 http_code_stops(int code);

/*
 * The retry policy, the same for every exchange: after failed try
 * `tries` (1 after the first) of what, because of why, returns 1 when
 * another try is due, having logged it and waited retry.delay doubled
 * for each try before (at most HTTP_MAX_DELAY); 0 when the retries are
 * spent or when the handle's waiting budget (retry.max_total, for the
 * whole run) is: one run never sleeps longer than that.
 */
int	 http_retry_wait(struct http *h, long tries, const char *what,
	    const char *why);

#endif
