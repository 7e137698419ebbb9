#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "http.h"
#include "i18n.h"
#include "log.h"

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	/* Returning less than given makes libcurl stop with WRITE_ERROR. */
	if (b->len + size * n > (size_t)HTTP_MAX_ANSWER)
		return 0;
	buf_add(b, data, size * n);
	return size * n;
}

static void
check(CURLcode rc, const char *what)
{
	if (rc != CURLE_OK)
		fatal(EXIT_CONFIG, _("libcurl cannot set %s: %s"), what,
		    curl_easy_strerror(rc));
}

/* TLS: what we trust and who we are. */
static void
set_tls(CURL *curl, const struct http_cfg *p)
{
	check(curl_easy_setopt(curl, CURLOPT_SSLVERSION,
	    (long)CURL_SSLVERSION_TLSv1_2), "TLS 1.2 or newer");
	check(curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L),
	    "peer verification");
	check(curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L),
	    "host verification");
	if (p->ca_file)
		check(curl_easy_setopt(curl, CURLOPT_CAINFO, p->ca_file),
		    "ca_file");
	if (p->client_cert) {
		check(curl_easy_setopt(curl, CURLOPT_SSLCERT, p->client_cert),
		    "client_cert");
		check(curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE,
		    p->client_cert_type ? p->client_cert_type : "PEM"),
		    "client_cert_type");
	}
	if (p->client_key)
		check(curl_easy_setopt(curl, CURLOPT_SSLKEY, p->client_key),
		    "client_key");
	if (p->key_password)
		check(curl_easy_setopt(curl, CURLOPT_KEYPASSWD,
		    p->key_password), "the key's password");
}

void
http_open(struct http *h, const struct http_cfg *p)
{
	memset(h, 0, sizeof(*h));
	h->cfg = p;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (h->curl = curl_easy_init()) == NULL)
		fatal(EXIT_SOFTWARE, _("cannot initialise libcurl"));
	check(curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "https"),
	    "https only");
	check(curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L), "no signals");
	check(curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT,
	    p->connect_timeout), "connect_timeout");
	check(curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, p->timeout),
	    "timeout");
	check(curl_easy_setopt(h->curl, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)HTTP_MAX_ANSWER), "an answer size limit");
	check(curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L),
	    "no redirects");
	check(curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body),
	    "the body callback");
	set_tls(h->curl, p);
	h->headers = curl_slist_append(h->headers,
	    "Content-Type: text/xml; charset=ISO-8859-1");
	/* The WSDL's soapAction is "": SOAP 1.1 sends it quoted. */
	h->headers = curl_slist_append(h->headers, "SOAPAction: \"\"");
	h->headers = curl_slist_append(h->headers, "Expect:");
	if (h->headers == NULL)
		fatal(EXIT_SOFTWARE, _("out of memory"));
}

void
http_close(struct http *h)
{
	if (h->curl)
		curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->headers);
	memset(h, 0, sizeof(*h));
	curl_global_cleanup();
}

static int perform(struct http *h, const char *url, struct http_answer *a);

int
http_post_soap(struct http *h, const char *url, const void *body, size_t n,
    struct http_answer *a)
{
	memset(a, 0, sizeof(*a));
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
	return perform(h, url, a);
}

int
http_get(struct http *h, const char *url, const char *user,
    const char *password, struct http_answer *a)
{
	int rc;

	memset(a, 0, sizeof(*a));
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h->curl, CURLOPT_USERNAME, user);
	curl_easy_setopt(h->curl, CURLOPT_PASSWORD, password);
	rc = perform(h, url, a);
	curl_easy_setopt(h->curl, CURLOPT_USERNAME, NULL);
	curl_easy_setopt(h->curl, CURLOPT_PASSWORD, NULL);
	return rc;
}

/*
 * Wait up to secs on a fresh TLS connection c that sent nothing: 1 when
 * the server ends it (a TLS alert, a reset, a close), 0 when it waits
 * for our request as a server that accepts us does, or sends data.
 */
static int
hangs_up(CURL *c, long secs)
{
	curl_socket_t fd = CURL_SOCKET_BAD;
	struct pollfd pfd;
	time_t end = time(NULL) + secs;
	char byte[64];
	size_t n;
	CURLcode rc;

	if (curl_easy_getinfo(c, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK ||
	    fd == CURL_SOCKET_BAD)
		return 1;
	for (;;) {
		n = 0;
		rc = curl_easy_recv(c, byte, sizeof(byte), &n);
		if (rc != CURLE_AGAIN)
			return rc != CURLE_OK || n == 0;
		if (time(NULL) >= end)
			return 0;
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 250) < 0)
			return 0;
	}
}

/*
 * With TLS 1.3 a server refuses a client certificate after the client
 * thinks the handshake done: its alert comes while we send (a broken
 * pipe) or read, or is lost to the reset that follows, as timing wills.
 * To classify that the same way each time, connect again, send nothing
 * and see whether the server hangs up on a connection that has not yet
 * asked anything: a server that accepts us waits for the request.
 * Returns 1 when the server refuses us.
 */
static int
tls_refused(struct http *h, const char *url, char *why, size_t whylen)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = curl_easy_init();
	CURLcode rc;
	int refused = 0;

	if (c == NULL)
		return 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, h->cfg->connect_timeout);
	curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	set_tls(c, h->cfg);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		refused = hangs_up(c, h->cfg->connect_timeout);
	else
		refused = rc == CURLE_SSL_CONNECT_ERROR ||
		    rc == CURLE_SSL_CLIENTCERT || rc == CURLE_SEND_ERROR ||
		    rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING ||
		    strstr(errbuf, " alert ") != NULL;
	if (refused)
		snprintf(why, whylen, _("the server refuses our TLS "
		    "connection: it hangs up before any request (%s); check "
		    "client_cert, or ask the operator whether it knows the "
		    "certificate"),
		    errbuf[0] ? errbuf : "closed");
	curl_easy_cleanup(c);
	return refused;
}

/* Set a's flags and message for a libcurl failure rc. */
static void
classify(struct http *h, const char *url, CURLcode rc, const char *errbuf,
    struct http_answer *a)
{
	const char *msg = errbuf[0] ? errbuf : curl_easy_strerror(rc);

	log_info(_("libcurl error %d: %s"), (int)rc, msg);
	a->local_cfg = rc == CURLE_SSL_CERTPROBLEM ||
	    rc == CURLE_SSL_CACERT_BADFILE;
	/* Any TLS alert is the server refusing us. */
	a->tls_failed = rc == CURLE_SSL_CONNECT_ERROR ||
	    rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CIPHER ||
	    rc == CURLE_SSL_CLIENTCERT || strstr(errbuf, " alert ") != NULL;
	a->too_big = rc == CURLE_WRITE_ERROR || rc == CURLE_FILESIZE_EXCEEDED;
	if (a->too_big)
		snprintf(a->error, sizeof(a->error), _("the answer is larger "
		    "than %ld MiB"), HTTP_MAX_ANSWER >> 20);
	else if (a->local_cfg)
		snprintf(a->error, sizeof(a->error), _("%s: check %s"), msg,
		    rc == CURLE_SSL_CACERT_BADFILE ? "ca_file" : "client_cert, "
		    "client_key and client_key_secret");
	else if (rc == CURLE_SSL_CLIENTCERT || strstr(msg, " alert ") != NULL)
		snprintf(a->error, sizeof(a->error), _("the server refuses our "
		    "TLS connection (%s); check client_cert, or ask the "
		    "operator whether it knows the certificate"), msg);
	else
		snprintf(a->error, sizeof(a->error), "%s", msg);
	if (!a->tls_failed && (rc == CURLE_SEND_ERROR ||
	    rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING) &&
	    tls_refused(h, url, a->error, sizeof(a->error)))
		a->tls_failed = 1;
}

static int
perform(struct http *h, const char *url, struct http_answer *a)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	long sent = 0;
	CURLcode rc;

	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &a->body);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h->curl);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_getinfo(h->curl, CURLINFO_REQUEST_SIZE, &sent);
	a->sent_nothing = sent == 0;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &a->status);
		return 0;
	}
	classify(h, url, rc, errbuf, a);
	return -1;
}

void
http_answer_release(struct http_answer *a)
{
	buf_release(&a->body);
}

int
http_exit_code(const struct http_answer *a)
{
	if (a->status == 0)
		return a->local_cfg ? EXIT_CONFIG : a->tls_failed ?
		    EXIT_UNAVAILABLE : a->too_big ? EXIT_PROTOCOL :
		    EXIT_TEMPFAIL;
	if (a->status == 401 || a->status == 403)
		return EXIT_NOPERM;
	if (a->status == 408 || a->status == 429 || a->status >= 500)
		return EXIT_TEMPFAIL;
	return EXIT_UNAVAILABLE;
}

int
http_code_stops(int code)
{
	return code == EXIT_NOPERM || code == EXIT_UNAVAILABLE ||
	    code == EXIT_CONFIG;
}

int
http_retry_wait(struct http *h, long tries, const char *what,
    const char *why)
{
	const struct http_retry *r = &h->cfg->retry;
	long delay = r->delay, i, left = r->max_total - h->waited;

	if (tries > r->retries)
		return 0;
	for (i = 1; i < tries && delay < HTTP_MAX_DELAY; i++)
		delay *= 2;
	if (delay > HTTP_MAX_DELAY)
		delay = HTTP_MAX_DELAY;
	if (delay > left) {
		if (left <= 0) {
			log_warn(_("%s: %s; no retry: this run already waited "
			    "%ld s (retry_max_total)"), what, why, h->waited);
			return 0;
		}
		delay = left;
	}
	log_warn(_("%s: %s; retrying in %ld s (%ld of %ld)"), what, why, delay,
	    tries, r->retries);
	if (delay > 0)
		sleep((unsigned)delay);
	h->waited += delay;
	return 1;
}
