#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "util.h"

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

void
cfg_load(struct cfg *cfg, const char *path)
{
	FILE *fp;
	char line[4096], *section = xstrdup(""), *p, *eq, *hash;
	int lineno = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup(path);
	if ((fp = fopen(path, "r")) == NULL)
		fatal(errno == ENOENT ? EXIT_CONFIG : EXIT_IOERR,
		    _("cannot read configuration '%s': %s"), path,
		    strerror(errno));
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp))
			fatal(EXIT_CONFIG, _("%s:%d: line too long"), path,
			    lineno);
		/* A '#' starts a comment at the start of a line or after a blank. */
		for (hash = line; (hash = strchr(hash, '#')) != NULL; hash++)
			if (hash == line || isspace((unsigned char)hash[-1])) {
				*hash = '\0';
				break;
			}
		p = trim(line);
		if (*p == '\0')
			continue;
		if (*p == '[') {
			if (p[strlen(p) - 1] != ']')
				fatal(EXIT_CONFIG, _("%s:%d: section header "
				    "must end with ']'"), path, lineno);
			p[strlen(p) - 1] = '\0';
			free(section);
			section = xstrdup(trim(p + 1));
			continue;
		}
		if ((eq = strchr(p, '=')) == NULL)
			fatal(EXIT_CONFIG, _("%s:%d: expected 'key = value'"),
			    path, lineno);
		*eq = '\0';
		cfg->entries = xrealloc(cfg->entries,
		    (size_t)(cfg->n + 1) * sizeof(*cfg->entries));
		cfg->entries[cfg->n].section = xstrdup(section);
		cfg->entries[cfg->n].key = xstrdup(trim(p));
		cfg->entries[cfg->n].value = xstrdup(trim(eq + 1));
		cfg->entries[cfg->n].line = lineno;
		cfg->n++;
	}
	if (ferror(fp))
		fatal(EXIT_IOERR, _("cannot read configuration '%s'"), path);
	fclose(fp);
	free(section);
}

void
cfg_release(struct cfg *cfg)
{
	int i;

	for (i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].section);
		free(cfg->entries[i].key);
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	free(cfg->path);
	memset(cfg, 0, sizeof(*cfg));
}

const struct cfg_entry *
cfg_find(const struct cfg *cfg, const char *section, const char *key)
{
	int i;

	/* The last setting wins, as in most INI readers. */
	for (i = cfg->n - 1; i >= 0; i--)
		if (strcmp(cfg->entries[i].section, section) == 0 &&
		    strcmp(cfg->entries[i].key, key) == 0)
			return &cfg->entries[i];
	return NULL;
}

const char *
cfg_get(const struct cfg *cfg, const char *section, const char *key)
{
	const struct cfg_entry *e = cfg_find(cfg, section, key);

	return e && e->value[0] ? e->value : NULL;
}

long
cfg_get_long(const struct cfg *cfg, const char *section, const char *key,
    long def, long min, long max)
{
	const struct cfg_entry *e = cfg_find(cfg, section, key);
	char *end;
	long v;

	if (e == NULL || e->value[0] == '\0')
		return def;
	errno = 0;
	v = strtol(e->value, &end, 10);
	if (errno || *end || v < min || v > max)
		fatal(EXIT_CONFIG, _("%s:%d: %s: '%s' is not a whole number "
		    "from %ld to %ld"), cfg->path, e->line, key, e->value, min,
		    max);
	return v;
}

int
cfg_line(const struct cfg *cfg, const char *section, const char *key)
{
	const struct cfg_entry *e = cfg_find(cfg, section, key);

	return e ? e->line : 0;
}
