#include <sys/stat.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "i18n.h"

#ifndef TISS_LOCALEDIR
#define TISS_LOCALEDIR "/usr/local/share/locale"
#endif

const char *
i18n_localedir(void)
{
	static char *beside;
	const char *env = getenv("TISS_LOCALEDIR");
	struct stat sb;

	if (env && *env)
		return env;
	/* An installed tree: share/locale beside share/tiss, wherever it is. */
	if (beside == NULL)
		beside = datadir_path("../locale");
	if (stat(beside, &sb) == 0 && S_ISDIR(sb.st_mode))
		return beside;
	return TISS_LOCALEDIR;
}

/* The language the environment asks messages in, as setlocale reads it. */
static const char *
asked_language(void)
{
	static const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if ((v = getenv(vars[i])) != NULL && *v)
			return v;
	return NULL;
}

/*
 * The locale named by the environment is not generated here: use
 * C.UTF-8 for characters and keep its language for gettext through
 * LANGUAGE ("pt_BR.UTF-8@x" -> "pt_BR"), unless LANGUAGE says one.
 */
static void
fallback(void)
{
	const char *asked = asked_language(), *lang = getenv("LANGUAGE");
	char name[64];
	size_t n;

	setlocale(LC_CTYPE, "C.UTF-8");
	setlocale(LC_MESSAGES, "C.UTF-8");
	if (asked == NULL || (lang && *lang))
		return;
	n = strcspn(asked, ".@");
	if (n == 0 || n >= sizeof(name) || strcmp(asked, "C") == 0 ||
	    strcmp(asked, "POSIX") == 0)
		return;
	memcpy(name, asked, n);
	name[n] = '\0';
	setenv("LANGUAGE", name, 1);
}

void
i18n_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	if (setlocale(LC_CTYPE, "") == NULL ||
	    setlocale(LC_MESSAGES, "") == NULL)
		fallback();
	bindtextdomain("tiss", i18n_localedir());
	bind_textdomain_codeset("tiss", "UTF-8");
	textdomain("tiss");
}
