/*
 * The operator profile: the [operadora] section of tiss.conf, what the
 * stages need to talk to one health-plan operator (docs/operators.md).
 * This is the only reader of [operadora]; it also reads the network
 * keys of other sections ([eautorizador]) for the HTTP client.
 */
#ifndef TISS_PROFILE_H
#define TISS_PROFILE_H

#include "http.h"
#include "tissver.h"
#include "ws.h"

/*
 * The network keys of a section, resolved for the HTTP client: paths
 * made absolute, the key's password read from its secret.  The strings
 * are owned here; http points into them.
 */
struct profile_net {
	struct http_cfg http;		/* what http_open takes */
	char	*ca_file;		/* absolute paths, or NULL */
	char	*client_cert;
	char	*client_key;
	char	*key_password;		/* a secret: wiped when released */
};

struct profile {
	/* Pointers into the workspace's configuration; NULL when unset. */
	const char *registro_ans;	/* required by every stage that uses it */
	const char *versao;		/* "4.03.00" (default), a tissver row */
	const struct tissver *ver;	/* the row of versao */
	const char *hash_encoding;	/* "ISO-8859-1" (default) or "UTF-8" */
	const char *schemas;		/* directory of the official schemas */
	int	 schemas_default;	/* DATADIR/schemas/VERSION: not set */
	const char *endpoint;		/* tissLoteGuias, https:// */
	const char *status_endpoint;	/* tissSolicitacaoStatusProtocolo */
	const char *demonstrativo_endpoint; /* tissSolicitacaoDemonstrativoRetorno */
	const char *recurso_endpoint;	/* tissRecursoGlosa */
	const char *recurso_status_endpoint; /* tissSolicitacaoStatusRecursoGlosa */
	const char *cancela_endpoint;	/* tissCancelaGuia */
	const char *nome;		/* nomeOperadora (a recurso names it) */
	int	 portal;		/* envio = portal: lotes go by hand */
	const char *login;		/* loginPrestador, when the operator asks */
	const char *login_secret;	/* secret with the login's password */
	long	 connections;		/* lotes tiss-send sends at a time */
	long	 tamanho_lote;		/* guides per lote, 1 to 100 */
	long	 carteira_digitos;	/* digits of a card number; 0: any */
	struct profile_net net;		/* after profile_net_load only */
};

/*
 * Read and check the profile, and the [prestador CODE] identities for
 * its version; exits 78 naming the key (and line) when one is bad.
 * schemas defaults to where tiss-schemas installs the version's.
 * [operadora] envio is "webservice" (the default) or "portal".
 */
void	 profile_load(struct profile *p, const struct ws *ws);

/*
 * Exit 78 with a hint unless registro_ans is set and the version's entry
 * schema is in the schemas folder.
 */
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

/*
 * Read the network keys of section (ca_file, client_cert,
 * client_cert_type, client_key, client_key_secret, connect_timeout,
 * timeout, retries, retry_delay, retry_max_total) into n, paths relative
 * to the workspace.  Exits 78 naming the key when one is bad, 66 or 77
 * when a key file or the password's secret is missing or too open.
 * Release with profile_net_release.
 */
void	 profile_net_load(struct profile_net *n, const struct ws *ws,
	    const char *section);
/* Free n's strings, wiping the password; n is zeroed.  Never fails. */
void	 profile_net_release(struct profile_net *n);

/*
 * The endpoint url of [operadora] key (what the operator's WSDL op names),
 * or exit 78 saying to set it.  Returns url.
 */
const char *profile_require_endpoint(const struct ws *ws, const char *key,
	    const char *url, const char *op);

/* Exit 78 unless url is an https:// address (naming section and key). */
void	 profile_check_url(const struct ws *ws, const char *section,
	    const char *key, const char *url);

#endif
