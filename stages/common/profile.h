/*
 * The operator profile: the [operadora] section of tiss.conf, what the
 * stages need to talk to one health-plan operator (docs/operators.md).
 */
#ifndef TISS_PROFILE_H
#define TISS_PROFILE_H

#include "http.h"
#include "ws.h"

struct profile {
	/* Pointers into the workspace's configuration; NULL when unset. */
	const char *registro_ans;	/* required by every stage that uses it */
	const char *versao;		/* "4.01.00" (default) or "3.05.00" */
	const char *hash_encoding;	/* "ISO-8859-1" (default) or "UTF-8" */
	const char *schemas;		/* directory of the official schemas */
	const char *endpoint;		/* tissLoteGuias, https:// */
	const char *status_endpoint;	/* tissSolicitacaoStatusProtocolo */
	const char *login;		/* loginPrestador, when the operator asks */
	const char *login_secret;	/* secret with the login's password */
	struct http_cfg net;		/* TLS, certificate, timeouts, retries */
	long	 connections;		/* lotes tiss-send sends at a time */
};

/* Read and check the profile; exits 78 naming the key when one is bad. */
void	 profile_load(struct profile *p, const struct ws *ws);

/* Exit 78 with a hint unless registro_ans and schemas are set. */
void	 profile_require_xml(const struct profile *p, const struct ws *ws);

/*
 * The path of the official schema file stem + version, e.g. "tissV" gives
 * SCHEMAS/tissV4_01_00.xsd; newly allocated.
 */
char	*profile_schema(const struct profile *p, const char *stem);

/*
 * TISS sends the login's password as its MD5 in hex: that of the secret
 * login_secret, newly allocated; NULL when the profile has no login.
 */
char	*profile_login_md5(const struct profile *p, const struct ws *ws);


#endif
