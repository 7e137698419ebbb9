/*
 * A file the user names for a program to read: a path, or "-" for
 * standard input.  This is the one place that says what "-" means on
 * input (ofile.h says it for output), so every program treats it alike:
 *
 * - Standard input is read once per command: a second "-" is a usage
 *   error (exit 64), found before any work by ifile_once, else when it
 *   is opened.
 * - A closed standard input is an input that cannot be read (EBADF),
 *   never an empty one, nor whatever file happens to take fd 0: before
 *   main, a closed fd 0 is noted and /dev/null put in its place.
 * - A reader that must read twice (a digest, then the data), know the
 *   size, or hand a path to another program gets standard input copied
 *   whole into a private temp file (0600, in $TMPDIR or /tmp, unlinked
 *   at once, or at exit for ifile_path), up to the caller's size cap.
 * - Messages call it "(standard input)" (translated); the database
 *   records it as IFILE_STDIN_RECORDED, never "-".
 * - Only standard input is read: a "-" never becomes a path that is
 *   moved, renamed or quarantined (a file named "-" is "./-").
 */
#ifndef TISS_IFILE_H
#define TISS_IFILE_H

#include <stddef.h>

#include "util.h"

/* What importacao.arquivo, origemArquivo and the audit say for "-". */
#define IFILE_STDIN_RECORDED	"(entrada padrão)"

/* Whether name means standard input ("-"). */
int	 ifile_is_stdin(const char *name);
/*
 * What messages call name: name itself, or "(standard input)" in the
 * reader's language for "-".  Static storage; never NULL.
 */
const char *ifile_shown(const char *name);
/* What the database records for name: name, or IFILE_STDIN_RECORDED. */
const char *ifile_recorded(const char *name);
/*
 * Exit 64 with a message when names[0..n-1] name "-" more than once:
 * a program that reads several files calls it before reading any.
 */
void	 ifile_once(char *const names[], int n);
/*
 * Open name for reading.  A path is open(2)ed O_RDONLY | O_CLOEXEC |
 * flags as it is.  "-" is standard input copied into a private temp
 * file (unlinked), at most max bytes (0: no cap), and returned at offset
 * 0: a regular file that can be read again and fstat'ed.  Returns the fd
 * (the caller closes it), or -1 with errno set, logging nothing but a
 * closed standard input: EFBIG past max, EBADF when standard input is
 * closed, the open or read error else.  A second "-" exits 64.
 */
int	 ifile_open(const char *name, int flags, size_t max);
/*
 * Append the whole of name ("-": standard input) to out (the caller's,
 * released by the caller), at most max bytes (0: no cap).  Returns 0,
 * or -1 with errno set as ifile_open.  A second "-" exits 64.
 */
int	 ifile_read(const char *name, struct buf *out, size_t max);
/*
 * For a reader that needs a path (a program it runs): name itself, or
 * for "-" the path of a private temp copy of standard input (as
 * ifile_open, at most max bytes), removed when the program exits
 * (atexit: also after fatal).  Returns a string the caller frees, or
 * NULL with errno set as ifile_open.
 */
char	*ifile_path(const char *name, size_t max);

#endif
