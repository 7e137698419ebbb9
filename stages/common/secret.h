/*
 * Secrets: one file per secret under the workspace's secrets/ (mode
 * 0700), each of mode 0600 or stricter, holding the value on its first
 * line.  A secret is never put on a command line, in a log line or in
 * an error message; only its name is.
 */
#ifndef TISS_SECRET_H
#define TISS_SECRET_H

#include <stddef.h>

#include "ws.h"

/* 1 when name is a valid secret name: [A-Za-z0-9_.-], not starting '.'. */
int	 secret_name_ok(const char *name);

/*
 * Exit 77 with a message that says how to fix it when path (a secret or
 * a private key) can be read or written by group or others.
 */
void	 secret_check_mode(const char *path);

/*
 * The value of secret name, newly allocated (free with secret_free).
 * Exits 66 when it does not exist, 77 when its mode is too open.
 */
char	*secret_read(const struct ws *ws, const char *name);

/* Overwrite the value in memory, then free it. */
void	 secret_free(char *value);

/* Store value as secret name, atomically, mode 0600; -1 on I/O error. */
int	 secret_write(const struct ws *ws, const char *name, const char *value);

#endif
