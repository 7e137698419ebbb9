#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "exitcodes.h"
#include "i18n.h"
#include "ident.h"
#include "log.h"
#include "profile.h"
#include "secret.h"
#include "util.h"

static void
check_secret_name(const struct ws *ws, const char *key, const char *name)
{
	if (name != NULL && !secret_name_ok(name))
		fatal(EXIT_CONFIG, _("%s: [operadora] %s '%s' is not a secret "
		    "name: use letters, digits, '.', '_' and '-'"),
		    ws->cfg.path, key, name);
}

void
profile_check_url(const struct ws *ws, const char *section, const char *key,
    const char *url)
{
	if (url != NULL && strncasecmp(url, "https://", 8) != 0)
		fatal(EXIT_CONFIG, _("%s: [%s] %s '%s' is not an https:// "
		    "address; TISS requires TLS"), ws->cfg.path, section, key,
		    url);
}

/* A path from the configuration, relative to the workspace; or NULL. */
static char *
ws_relative(const struct ws *ws, const char *path)
{
	if (path == NULL)
		return NULL;
	return path[0] == '/' ? xstrdup(path) : ws_path(ws, path);
}

/* The certificate's type: as set, else from its name's suffix. */
static const char *
cert_type(const struct cfg *f, const char *section, const char *cert)
{
	const char *t = cfg_get(f, section, "client_cert_type"), *s;

	if (t == NULL && cert != NULL) {
		s = strrchr(cert, '.');
		t = s && (!strcasecmp(s, ".p12") || !strcasecmp(s, ".pfx")) ?
		    "P12" : "PEM";
	}
	if (t && strcasecmp(t, "PEM") && strcasecmp(t, "P12"))
		fatal(EXIT_CONFIG, _("%s: [%s] client_cert_type '%s' is not "
		    "PEM or P12"), f->path, section, t);
	return t;
}

void
profile_net_load(struct profile_net *n, const struct ws *ws,
    const char *section)
{
	const struct cfg *f = &ws->cfg;
	struct http_cfg *c = &n->http;
	const char *sname = cfg_get(f, section, "client_key_secret");

	memset(n, 0, sizeof(*n));
	c->ca_file = n->ca_file = ws_relative(ws, cfg_get(f, section,
	    "ca_file"));
	c->client_cert = n->client_cert = ws_relative(ws, cfg_get(f, section,
	    "client_cert"));
	c->client_key = n->client_key = ws_relative(ws, cfg_get(f, section,
	    "client_key"));
	c->client_cert_type = cert_type(f, section, c->client_cert);
	c->connect_timeout = cfg_get_long(f, section, "connect_timeout", 10,
	    1, 600);
	c->timeout = cfg_get_long(f, section, "timeout", 120, 1, 3600);
	c->retry.retries = cfg_get_long(f, section, "retries", 3, 0, 10);
	c->retry.delay = cfg_get_long(f, section, "retry_delay", 5, 0,
	    HTTP_MAX_DELAY);
	c->retry.max_total = cfg_get_long(f, section, "retry_max_total", 900,
	    0, 3600);
	if (sname && !secret_name_ok(sname))
		fatal(EXIT_CONFIG, _("%s: [%s] client_key_secret '%s' is not a "
		    "secret name: use letters, digits, '.', '_' and '-'"),
		    f->path, section, sname);
	/* A PKCS#12 file or a PEM with its key is a private key. */
	if (c->client_cert && c->client_key == NULL)
		secret_check_mode(c->client_cert);
	if (c->client_key)
		secret_check_mode(c->client_key);
	if (sname)
		c->key_password = n->key_password = secret_read(ws, sname);
}

void
profile_net_release(struct profile_net *n)
{
	free(n->ca_file);
	free(n->client_cert);
	free(n->client_key);
	secret_free(n->key_password);
	memset(n, 0, sizeof(*n));
}

/*
 * Where tiss-schemas installs the schemas of v, made once per version
 * and kept for the process: every profile loaded may point at it.
 */
static const char *
installed_schemas(const struct tissver *v)
{
	static struct {
		const struct tissver *v;
		char	*dir;
	} made[8];
	int i;

	for (i = 0; i < 8 && made[i].v != NULL; i++)
		if (made[i].v == v)
			return made[i].dir;
	if (i == 8)
		fatal(EXIT_SOFTWARE, _("more TISS versions than profile.c "
		    "keeps"));
	made[i].v = v;
	made[i].dir = tissver_schemas_default(v);
	return made[i].dir;
}

/* The keys of [operadora]'s web service addresses, as tiss.conf(5) has them. */
static const char *const endpoint_keys[] = {
	"endpoint", "status_endpoint", "demonstrativo_endpoint",
	"recurso_endpoint", "recurso_status_endpoint", "cancela_endpoint"
};

#define NENDPOINTS	(int)(sizeof(endpoint_keys) / sizeof(endpoint_keys[0]))

/* Where p keeps the address of endpoint_keys[i]. */
static const char **
endpoint_of(struct profile *p, int i)
{
	const char **v[NENDPOINTS] = { &p->endpoint, &p->status_endpoint,
	    &p->demonstrativo_endpoint, &p->recurso_endpoint,
	    &p->recurso_status_endpoint, &p->cancela_endpoint };

	return v[i];
}

/* The values of [operadora] into p, as they are written (or NULL). */
static void
read_values(struct profile *p, const struct cfg *c)
{
	int i;

	p->registro_ans = cfg_get(c, "operadora", "registro_ans");
	p->versao = cfg_get(c, "operadora", "versao_tiss");
	p->hash_encoding = cfg_get(c, "operadora", "hash_encoding");
	p->schemas = cfg_get(c, "operadora", "schemas");
	for (i = 0; i < NENDPOINTS; i++)
		*endpoint_of(p, i) = cfg_get(c, "operadora", endpoint_keys[i]);
	p->nome = cfg_get(c, "operadora", "nome");
	p->login = cfg_get(c, "operadora", "login");
	p->login_secret = cfg_get(c, "operadora", "login_secret");
	p->connections = cfg_get_long(c, "operadora", "connections", 1, 1, 16);
	p->tamanho_lote = cfg_get_long(c, "operadora", "tamanho_lote", 50, 1,
	    100);
	p->carteira_digitos = cfg_get_long(c, "operadora", "carteira_digitos",
	    0, 0, 20);
}

/*
 * The values read_values left that do not depend on the version checked,
 * and the defaults of the unset ones; exits 78 naming the first wrong.
 */
static void
check_values(struct profile *p, const struct ws *ws)
{
	const struct cfg *c = &ws->cfg;
	const char *s;
	int i;

	if (p->hash_encoding == NULL)
		p->hash_encoding = "ISO-8859-1";
	if (strcasecmp(p->hash_encoding, "ISO-8859-1") &&
	    strcasecmp(p->hash_encoding, "UTF-8"))
		fatal(EXIT_CONFIG, _("%s: hash_encoding '%s' is not ISO-8859-1 "
		    "or UTF-8"), c->path, p->hash_encoding);
	if ((s = p->registro_ans) != NULL &&
	    (strlen(s) != 6 || strspn(s, "0123456789") != 6))
		fatal(EXIT_CONFIG, _("%s: registro_ans '%s' is not the "
		    "operator's 6-digit ANS registration"), c->path, s);
	for (i = 0; i < NENDPOINTS; i++)
		profile_check_url(ws, "operadora", endpoint_keys[i],
		    *endpoint_of(p, i));
	if ((s = cfg_get(c, "operadora", "envio")) != NULL &&
	    strcmp(s, "portal") && strcmp(s, "webservice"))
		fatal(EXIT_CONFIG, _("%s: [operadora] envio '%s' is not "
		    "webservice or portal"), c->path, s);
	p->portal = s != NULL && strcmp(s, "portal") == 0;
	if (p->login_secret == NULL)
		p->login_secret = "senha";
	check_secret_name(ws, "login_secret", p->login_secret);
	if (p->login != NULL && strlen(p->login) > 20)
		fatal(EXIT_CONFIG, _("%s: login '%s' is longer than the 20 "
		    "characters of loginPrestador"), c->path, p->login);
}

void
profile_load(struct profile *p, const struct ws *ws)
{
	const struct cfg *c = &ws->cfg;
	char err[512];

	memset(p, 0, sizeof(*p));
	read_values(p, c);
	if (p->versao == NULL)
		p->versao = tissver_default()->versao;
	if ((p->ver = tissver_find(p->versao)) == NULL)
		fatal(EXIT_CONFIG, _("%s: [operadora] versao_tiss '%s' is not "
		    "a TISS version this program speaks: %s (%s is in force)"),
		    c->path, p->versao, tissver_names(),
		    tissver_default()->versao);
	if (p->schemas == NULL) {
		p->schemas = installed_schemas(p->ver);
		p->schemas_default = 1;
	}
	if (ident_check_cfg(c, p->ver->cnpj_alnum, err, sizeof(err)) != 0)
		fatal(EXIT_CONFIG, "%s", err);
	tissver_glosa_use(p->ver, p->schemas);
	check_values(p, ws);
}

const char *
profile_require_endpoint(const struct ws *ws, const char *key,
    const char *url, const char *op)
{
	if (url == NULL)
		fatal(EXIT_CONFIG, _("%s: set [operadora] %s to the operator's %s "
		    "address (https://...)"), ws->cfg.path, key, op);
	return url;
}

void
profile_require_xml(const struct profile *p, const struct ws *ws)
{
	if (p->registro_ans == NULL)
		fatal(EXIT_CONFIG, _("%s: set [operadora] registro_ans"),
		    ws->cfg.path);
	char *entry = tissver_path(p->schemas, p->ver->entry);

	if (access(entry, R_OK) != 0)
		fatal(EXIT_CONFIG, _("%s: no '%s': %s; install the official "
		    "schemas of TISS %s with 'tiss-schemas install "
		    "PadraoTISSComunicacao_*.zip'%s"), ws->cfg.path, entry,
		    strerror(errno), p->versao, p->schemas_default ? ", or set "
		    "[operadora] schemas to their folder" : ", or correct "
		    "[operadora] schemas");
	free(entry);
}

char *
profile_schema(const struct profile *p, const char *stem)
{
	char ver[16];
	size_t i;

	snprintf(ver, sizeof(ver), "%s", p->versao);
	for (i = 0; ver[i]; i++)
		if (ver[i] == '.')
			ver[i] = '_';
	return xasprintf("%s/%s%s.xsd", p->schemas, stem, ver);
}

char *
profile_login_md5(const struct profile *p, const struct ws *ws)
{
	char *password, *md5;

	if (p->login == NULL)
		return NULL;
	password = secret_read(ws, p->login_secret);
	md5 = xmalloc(33);
	md5_hex(password, strlen(password), md5);
	secret_free(password);
	return md5;
}
