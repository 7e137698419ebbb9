/*
 * HTTPS to the operator with libcurl, as the profile says: TLS 1.2 or
 * newer with verification on, CA file, client certificate (PEM or
 * PKCS#12, its password from a secret), connect and total timeouts, and
 * a cap on the size of an answer.
 */
#ifndef TISS_HTTP_H
#define TISS_HTTP_H

#include <curl/curl.h>

#include "profile.h"
#include "util.h"
#include "ws.h"

#define HTTP_MAX_ANSWER	(16L << 20)	/* bytes */

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
};

/* Set up from the profile; exits 77 or 78 when a file or secret is bad. */
void	 http_open(struct http *h, const struct ws *ws, const struct profile *p);
void	 http_close(struct http *h);

/*
 * POST a SOAP 1.1 request.  Returns 0 when an HTTP answer came (whatever
 * its status), -1 when none did (a->error says why).
 */
int	 http_post_soap(struct http *h, const char *url, const void *body,
	    size_t n, struct http_answer *a);

void	 http_answer_release(struct http_answer *a);

#endif
