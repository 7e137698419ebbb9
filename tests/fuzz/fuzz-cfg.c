/*
 * Fuzz the tiss.conf reader.  cfg_load reads a path and exits 78 on a
 * syntax error (a line over 4 KiB, a section header without ']', a line
 * without '='), which libFuzzer would count as a crash; so the harness
 * first turns each line the reader would refuse into a comment, by the
 * rules of tiss.conf(5), and fuzzes what is left: sections, keys,
 * values, comments, blanks, any bytes but NUL.  The input goes through
 * a memfd (/proc/self/fd/N), never a file on disk.  Checked: every key
 * and value comes back trimmed, without a comment, on an increasing
 * line, and cfg_get returns the last setting of a key.  cfg_get_long
 * exits on a bad number and is not fuzzed here.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LINE_MAX_BYTES	4000

/* What cfg_load makes of a line: comment cut, blanks trimmed. */
static char *
content(char *s)
{
	char *h, *e;

	for (h = s; (h = strchr(h, '#')) != NULL; h++)
		if (h == s || isspace((unsigned char)h[-1])) {
			*h = '\0';
			break;
		}
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* 1 when cfg_load takes this line (NUL-free, under 4 KiB, no '\n'). */
static int
acceptable(const char *line)
{
	char *copy = strdup(line), *p = content(copy);
	int ok = *p == '\0' || (*p == '[' ? p[strlen(p) - 1] == ']' :
	    strchr(p, '=') != NULL);

	free(copy);
	return ok;
}

/* 1 when an entry after i sets the same section.key. */
static int
overridden(const struct cfg *cfg, int i)
{
	int j;

	for (j = i + 1; j < cfg->n; j++)
		if (strcmp(cfg->entries[j].section, cfg->entries[i].section) == 0 &&
		    strcmp(cfg->entries[j].key, cfg->entries[i].key) == 0)
			return 1;
	return 0;
}

static int
trimmed(const char *s)
{
	return s[0] == '\0' || (!isspace((unsigned char)s[0]) &&
	    !isspace((unsigned char)s[strlen(s) - 1]));
}

static void
check_entries(const struct cfg *cfg)
{
	const struct cfg_entry *e;
	int i, last = 0;

	for (i = 0; i < cfg->n; i++) {
		e = &cfg->entries[i];
		if (e->line <= last || e->key[0] == '[' ||
		    strchr(e->key, '=') != NULL || !trimmed(e->key) ||
		    !trimmed(e->value) || !trimmed(e->section))
			abort();
		last = e->line;
		if (!overridden(cfg, i) && cfg_get(cfg, e->section, e->key) !=
		    (e->value[0] ? e->value : NULL))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg cfg;
	char *text = malloc(size + 1), *line, *next, path[64];
	FILE *fp;
	size_t len;
	int fd;

	memcpy(text, data, size);
	text[size] = '\0';
	for (len = 0; len < size; len++)
		if (text[len] == '\0')
			text[len] = ' ';
	if ((fd = memfd_create("tiss.conf", 0)) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL)
		abort();
	for (line = text; *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (strlen(line) > LINE_MAX_BYTES)
			line[LINE_MAX_BYTES] = '\0';
		fprintf(fp, "%s%s\n", acceptable(line) ? "" : "#", line);
	}
	fflush(fp);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	cfg_load(&cfg, path);
	check_entries(&cfg);
	cfg_release(&cfg);
	fclose(fp);
	free(text);
	return 0;
}
