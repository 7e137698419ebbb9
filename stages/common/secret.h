/*
 * Secrets: one file per secret under the workspace's secrets/ (mode
 * 0700), each of mode 0600 or stricter, holding the value on its first
 * line.  A secret is never put on a command line, in a log line or in
 * an error message; only its name is.  While a secret is in memory the
 * process cannot dump core (secret_no_core_dump).
 */
#ifndef TISS_SECRET_H
#define TISS_SECRET_H

#include <stddef.h>

#include "ws.h"

/*
 * 1 when name is a valid secret name ([A-Za-z0-9_.-], 1 to 64 bytes, not
 * starting with '.'), else 0.  Never fails.
 */
int	 secret_name_ok(const char *name);

/*
 * Check that path (a secret or a private key) is neither readable nor
 * writable by group or others and belongs to the effective user.
 * Returns only when it is; exits 77 with the chmod to run when it is
 * not, 66 when path is missing, 77 when it cannot be reached.
 */
void	 secret_check_mode(const char *path);

/*
 * Check that the workspace's secrets/ folder is closed to group and
 * others (no bit of 077).  Exits 77 naming the chmod 700 to run
 * otherwise; returns when the folder is closed or absent.
 */
void	 secret_check_dir(const struct ws *ws);

/*
 * Set RLIMIT_CORE to 0 and PR_SET_DUMPABLE to 0 for the rest of the
 * process's life, so no core file or ptrace can copy a secret out of
 * memory.  Called by secret_read; a program that reads a secret by
 * other means (tiss-secret from the terminal) calls it first.  Logs a
 * warning when the kernel refuses; never exits.  Idempotent.
 */
void	 secret_no_core_dump(void);

/*
 * The value of secret name (its first line), newly allocated: the
 * caller frees it with secret_free, which wipes it.  Exits 78 for a bad
 * name, an empty or over-long value; 66 when the secret does not exist;
 * 77 when it or secrets/ is too open or cannot be opened; 74 on a read
 * error.
 */
char	*secret_read(const struct ws *ws, const char *name);

/* Overwrite the value in memory, then free it.  value may be NULL. */
void	 secret_free(char *value);

/*
 * Store value as secret name, atomically (temp file, fsync, rename,
 * directory sync), mode 0600, creating secrets/ with mode 0700 when
 * missing.  The caller keeps value.  Returns 0, or -1 after logging the
 * error, with errno set (ENOSPC for a full disk).
 */
int	 secret_write(const struct ws *ws, const char *name, const char *value);

#endif
