/*
 * The one home of where the programs find their read-only data: the
 * project's stylesheets (xslt/) and schemas (xsd/).  In this order:
 *
 *   1. $TISS_DATADIR, when set and not empty (the tests, a developer's
 *      tree);
 *   2. ../share/tiss beside the running executable (/proc/self/exe),
 *      when it holds xslt/: an installed tree finds its data wherever
 *      PREFIX and DESTDIR put it, with no rebuild;
 *   3. the directory compiled in (TISS_DATADIR, from the Makefile's
 *      DATADIR).
 *
 * Nothing a user types becomes part of the path but the environment
 * variable, which names a directory of the user's own choosing.
 */
#ifndef TISS_DATADIR_H
#define TISS_DATADIR_H

/*
 * The data directory, decided once per process as above.  The string
 * is static: the caller does not free it.  Never fails (the compiled-in
 * default is the last resort; a missing file is the caller's error to
 * report, naming the path).
 */
const char *datadir(void);

/*
 * datadir()/rel as a newly allocated string the caller frees; rel is a
 * relative path of the program's own (such as "xslt/report-html.xsl").
 * Exits 70 when out of memory.
 */
char	*datadir_path(const char *rel);

#endif
