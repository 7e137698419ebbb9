#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exitcodes.h"
#include "http.h"
#include "log.h"
#include "secret.h"

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
		fatal(EXIT_CONFIG, "libcurl cannot set %s: %s", what,
		    curl_easy_strerror(rc));
}

void
http_check_url(const struct ws *ws, const char *section, const char *key,
    const char *url)
{
	if (url != NULL && strncasecmp(url, "https://", 8) != 0)
		fatal(EXIT_CONFIG, "%s: [%s] %s '%s' is not an https:// "
		    "address; TISS requires TLS", ws->cfg.path, section, key,
		    url);
}

void
http_cfg_load(struct http_cfg *c, const struct ws *ws, const char *section)
{
	const struct cfg *f = &ws->cfg;
	const char *s;

	c->ca_file = cfg_get(f, section, "ca_file");
	c->client_cert = cfg_get(f, section, "client_cert");
	c->client_cert_type = cfg_get(f, section, "client_cert_type");
	c->client_key = cfg_get(f, section, "client_key");
	c->client_key_secret = cfg_get(f, section, "client_key_secret");
	c->connect_timeout = cfg_get_long(f, section, "connect_timeout", 10,
	    1, 600);
	c->timeout = cfg_get_long(f, section, "timeout", 120, 1, 3600);
	c->retries = cfg_get_long(f, section, "retries", 3, 0, 10);
	c->retry_delay = cfg_get_long(f, section, "retry_delay", 5, 0, 600);
	if (c->client_cert_type == NULL && c->client_cert != NULL) {
		s = strrchr(c->client_cert, '.');
		c->client_cert_type = s && (!strcasecmp(s, ".p12") ||
		    !strcasecmp(s, ".pfx")) ? "P12" : "PEM";
	}
	if (c->client_cert_type && strcasecmp(c->client_cert_type, "PEM") &&
	    strcasecmp(c->client_cert_type, "P12"))
		fatal(EXIT_CONFIG, "%s: [%s] client_cert_type '%s' is not PEM "
		    "or P12", f->path, section, c->client_cert_type);
	if (c->client_key_secret && !secret_name_ok(c->client_key_secret))
		fatal(EXIT_CONFIG, "%s: [%s] client_key_secret '%s' is not a "
		    "secret name: use letters, digits, '.', '_' and '-'",
		    f->path, section, c->client_key_secret);
}

/* A path from the configuration, relative to the workspace. */
static char *
ws_relative(const struct ws *ws, const char *path)
{
	return path[0] == '/' ? xstrdup(path) : ws_path(ws, path);
}

void
http_open(struct http *h, const struct ws *ws, const struct http_cfg *p)
{
	char *path;

	memset(h, 0, sizeof(*h));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (h->curl = curl_easy_init()) == NULL)
		fatal(EXIT_SOFTWARE, "cannot initialise libcurl");
	check(curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "https"),
	    "https only");
	check(curl_easy_setopt(h->curl, CURLOPT_SSLVERSION,
	    (long)CURL_SSLVERSION_TLSv1_2), "TLS 1.2 or newer");
	check(curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 1L),
	    "peer verification");
	check(curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 2L),
	    "host verification");
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
	if (p->ca_file) {
		path = ws_relative(ws, p->ca_file);
		check(curl_easy_setopt(h->curl, CURLOPT_CAINFO, path),
		    "ca_file");
		free(path);
	}
	if (p->client_cert) {
		path = ws_relative(ws, p->client_cert);
		/* A PKCS#12 file or a PEM with its key is a private key. */
		if (p->client_key == NULL)
			secret_check_mode(path);
		check(curl_easy_setopt(h->curl, CURLOPT_SSLCERT, path),
		    "client_cert");
		check(curl_easy_setopt(h->curl, CURLOPT_SSLCERTTYPE,
		    p->client_cert_type), "client_cert_type");
		free(path);
	}
	if (p->client_key) {
		path = ws_relative(ws, p->client_key);
		secret_check_mode(path);
		check(curl_easy_setopt(h->curl, CURLOPT_SSLKEY, path),
		    "client_key");
		free(path);
	}
	if (p->client_key_secret) {
		h->key_password = secret_read(ws, p->client_key_secret);
		check(curl_easy_setopt(h->curl, CURLOPT_KEYPASSWD,
		    h->key_password), "the key's password");
	}
	h->headers = curl_slist_append(h->headers,
	    "Content-Type: text/xml; charset=ISO-8859-1");
	/* The WSDL's soapAction is "": SOAP 1.1 sends it quoted. */
	h->headers = curl_slist_append(h->headers, "SOAPAction: \"\"");
	h->headers = curl_slist_append(h->headers, "Expect:");
	if (h->headers == NULL)
		fatal(EXIT_SOFTWARE, "out of memory");
}

void
http_close(struct http *h)
{
	if (h->curl)
		curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->headers);
	secret_free(h->key_password);
	memset(h, 0, sizeof(*h));
	curl_global_cleanup();
}

static int perform(struct http *h, struct http_answer *a);

int
http_post_soap(struct http *h, const char *url, const void *body, size_t n,
    struct http_answer *a)
{
	memset(a, 0, sizeof(*a));
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
	return perform(h, a);
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
	rc = perform(h, a);
	curl_easy_setopt(h->curl, CURLOPT_USERNAME, NULL);
	curl_easy_setopt(h->curl, CURLOPT_PASSWORD, NULL);
	return rc;
}

static int
perform(struct http *h, struct http_answer *a)
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
	/*
	 * With TLS 1.3 a server refuses a client certificate after the
	 * handshake, with an alert the first read meets.
	 */
	a->tls_failed = rc == CURLE_SSL_CONNECT_ERROR ||
	    rc == CURLE_PEER_FAILED_VERIFICATION ||
	    rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_CIPHER ||
	    rc == CURLE_SSL_CACERT_BADFILE ||
	    (rc == CURLE_RECV_ERROR && strstr(errbuf, "alert") != NULL);
	a->too_big = rc == CURLE_WRITE_ERROR || rc == CURLE_FILESIZE_EXCEEDED;
	if (a->too_big)
		snprintf(a->error, sizeof(a->error), "the answer is larger than "
		    "%ld MiB", HTTP_MAX_ANSWER >> 20);
	else
		snprintf(a->error, sizeof(a->error), "%s", errbuf[0] ? errbuf :
		    curl_easy_strerror(rc));
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
		return a->tls_failed ? EXIT_UNAVAILABLE : a->too_big ?
		    EXIT_PROTOCOL : EXIT_TEMPFAIL;
	if (a->status == 401 || a->status == 403)
		return EXIT_NOPERM;
	if (a->status == 408 || a->status == 429 || a->status >= 500)
		return EXIT_TEMPFAIL;
	return EXIT_UNAVAILABLE;
}
