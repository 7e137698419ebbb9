/*
 * Messages in the reader's language, the one home of gettext in the
 * project.  The source strings are English (git's way): a message is
 * written _("...") where it is printed and N_("...") where it sits in a
 * table and is translated later with _(); P_() picks the plural form.
 * The catalogs are po/LANG.po (domain "tiss"), compiled to
 * LOCALEDIR/LANG/LC_MESSAGES/tiss.mo.  LANG=C (or any language without
 * a catalog, such as en) gives the English source strings.
 *
 * Only the categories that messages need are taken from the
 * environment (LC_CTYPE and LC_MESSAGES): numbers, dates and sorting
 * stay in the C locale, so machine outputs (CSV for scripts, XML, JSON)
 * never change with the reader's language; what a person reads is
 * formatted in the Brazilian way by fmt.h whatever the language.
 */
#ifndef TISS_I18N_H
#define TISS_I18N_H

#include <libintl.h>

#define _(s)		gettext(s)
#define N_(s)		(s)
#define P_(s, p, n)	ngettext((s), (p), (n))

/*
 * Set LC_CTYPE and LC_MESSAGES from the environment and bind the "tiss"
 * catalog in i18n_localedir(), with UTF-8 output.  When the locale
 * asked for is not generated on this machine (a fresh Debian has only
 * C.UTF-8), take C.UTF-8 and keep the language asked for through
 * $LANGUAGE, so LANG=pt_BR.UTF-8 gives Portuguese without localedef.
 * LANG=C or LC_ALL=C (not C.UTF-8) gives English whatever $LANGUAGE
 * says.  Idempotent; never fails (no catalog means English).
 * cli_parse calls it first.
 */
void	 i18n_init(void);

/*
 * The directory of the compiled catalogs: $TISS_LOCALEDIR when set and
 * not empty, else share/locale beside the data directory (datadir(): an
 * installed tree, wherever PREFIX put it), else the one compiled in
 * (LOCALEDIR in the Makefile).  Static storage; nothing to free.
 */
const char *i18n_localedir(void);

#endif
