/*
 * The workspace configuration file, tiss.conf: INI-style sections of
 * "key = value" lines, '#' comments.  See tiss.conf(5).
 */
#ifndef TISS_CFG_H
#define TISS_CFG_H

struct cfg_entry {
	char	*section;	/* "" before the first [section] */
	char	*key;
	char	*value;		/* trimmed; may be "" */
	int	 line;		/* line in the file, for messages */
};

struct cfg {
	char	*path;		/* file it was read from */
	struct cfg_entry *entries;
	int	 n;
};

/* Read path; exits 78 with file:line on a syntax error, 66 if missing. */
void	 cfg_load(struct cfg *cfg, const char *path);
void	 cfg_release(struct cfg *cfg);
/* The value of section.key, or NULL when absent or empty. */
const char *cfg_get(const struct cfg *cfg, const char *section,
	    const char *key);
/* An integer value in [min, max], def when absent; exits 78 if invalid. */
long	 cfg_get_long(const struct cfg *cfg, const char *section,
	    const char *key, long def, long min, long max);

#endif
