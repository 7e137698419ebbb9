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
http_open(struct http *h, const struct ws *ws, const struct profile *p)
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
		path = profile_path(ws, p->ca_file);
		check(curl_easy_setopt(h->curl, CURLOPT_CAINFO, path),
		    "ca_file");
		free(path);
	}
	if (p->client_cert) {
		path = profile_path(ws, p->client_cert);
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
		path = profile_path(ws, p->client_key);
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
	check(curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->headers),
	    "the headers");
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

int
http_post_soap(struct http *h, const char *url, const void *body, size_t n,
    struct http_answer *a)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	long sent = 0;
	CURLcode rc;

	memset(a, 0, sizeof(*a));
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
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
	if (rc == CURLE_WRITE_ERROR || rc == CURLE_FILESIZE_EXCEEDED)
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
