/*
 * Who the prestador is to the operator: the check digits of CNPJ
 * (numeric, and the alphanumeric CNPJ of the Receita Federal) and CPF,
 * and the per-prestador choice of tiss.conf's [prestador CODE] sections
 * of how the cabecalho identifies it (tiss.conf(5)).
 */
#ifndef TISS_IDENT_H
#define TISS_IDENT_H

#include <stddef.h>

#include "cfg.h"

/*
 * NULL when s is a valid CNPJ: 14 characters, the first 12 digits (or,
 * when alnum, digits and capital letters), the last 2 the check digits
 * (each character's value its ASCII code minus 48, modulo-11 weights).
 * Otherwise a static message saying what is wrong.
 */
const char *ident_cnpj_error(const char *s, int alnum);

/* NULL when s is a valid CPF (11 digits, 2 check digits); else why. */
const char *ident_cpf_error(const char *s);

enum ident_kind {
	IDENT_CODIGO,		/* codigoPrestadorNaOperadora (default) */
	IDENT_CNPJ,
	IDENT_CPF
};

struct ident {
	enum ident_kind kind;
	const char *element;	/* in the cabecalho: "CNPJ", "CPF", ... */
	const char *contratado;	/* in ct_contratadoDados: "cnpjContratado" */
	const char *value;	/* points into the cfg, or the code given */
};

/*
 * How prestador codigo identifies itself, from its [prestador CODIGO]
 * section (identificacao = codigo | cnpj | cpf, and cnpj or cpf); the
 * code itself when there is no section.  alnum: whether the version
 * takes the alphanumeric CNPJ.  Returns 0, or -1 with "FILE:LINE: what,
 * why, how to fix" in err.  id points into cfg and codigo.
 */
int	 ident_prestador(const struct cfg *cfg, const char *codigo, int alnum,
	    struct ident *id, char *err, size_t errlen);

/*
 * Check every [prestador CODE] section of cfg as ident_prestador does,
 * and that no key is unknown; 0, or -1 with the first error in err.
 */
int	 ident_check_cfg(const struct cfg *cfg, int alnum, char *err,
	    size_t errlen);

#endif
