/*
 * The workspace configuration file, tiss.conf: INI-style sections of
 * "key = value" lines, '#' comments (at the start of a line or after a
 * blank).  The value is everything after the first '=', trimmed: spaces,
 * '=' and quotes are part of it.  See tiss.conf(5).  The scripts read it
 * through tiss-config(1), so there is one reader.
 */
#ifndef TISS_CFG_H
#define TISS_CFG_H

struct cfg_entry {
	char	*section;	/* "" before the first [section]; owned */
	char	*key;		/* owned */
	char	*value;		/* trimmed; may be ""; owned */
	int	 line;		/* line in the file, for messages */
};

struct cfg {
	char	*path;		/* file it was read from; owned */
	struct cfg_entry *entries;	/* in file order; owned */
	int	 n;		/* number of entries */
};

/*
 * Read path into cfg (released with cfg_release).  Exits 78 naming
 * file:line on a syntax error or a line over 4095 bytes, 78 when the
 * file is missing, 74 when it cannot be read.
 */
void	 cfg_load(struct cfg *cfg, const char *path);

/* Free what cfg_load allocated; cfg is then empty. */
void	 cfg_release(struct cfg *cfg);

/*
 * The value of section.key (the last one when repeated), or NULL when
 * absent or empty.  The string belongs to cfg: valid until cfg_release.
 */
const char *cfg_get(const struct cfg *cfg, const char *section,
	    const char *key);

/*
 * The entry of section.key (the last one when repeated), or NULL when
 * absent; its value may be "".  It belongs to cfg: valid until
 * cfg_release.
 */
const struct cfg_entry *cfg_find(const struct cfg *cfg, const char *section,
	    const char *key);

/* The line of section.key's last setting, for messages; 0 when absent. */
int	 cfg_line(const struct cfg *cfg, const char *section, const char *key);

/*
 * An integer value in [min, max], def when absent or empty.  Exits 78
 * naming file:line when it is not a whole number in that range.
 */
long	 cfg_get_long(const struct cfg *cfg, const char *section,
	    const char *key, long def, long min, long max);

#endif
