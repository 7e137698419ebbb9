/*
 * The TISS versions the project speaks, as data: one row per version
 * (NOTES.md §8) with its schema files, its lote stylesheet, the facets
 * of the GTO that differ between versions, whether the alphanumeric CNPJ
 * is allowed, and its statusProtocolo table.  Code asks the row; it never
 * compares version strings.  The glosa table (dm_tipoGlosa) is read at
 * run time from the official schema's own annotations.
 */
#ifndef TISS_TISSVER_H
#define TISS_TISSVER_H

#include <stddef.h>
#include <stdint.h>

/* A decimal facet of the XSD: totalDigits and fractionDigits. */
struct tissver_limit {
	const char *field;	/* TISS element name, e.g. "qtdUS" */
	const char *type;	/* the XSD type, e.g. "st_decimal7-2" */
	int	 digits;	/* totalDigits */
	int	 fraction;	/* fractionDigits */
};

/* One code of dm_statusProtocolo (TUSS table 44). */
struct tissver_status {
	int	 code;		/* 1 to 10 */
	const char *name;	/* Portuguese, as the schema's comment says */
	int	 final;		/* the operator will not change it any more */
	int	 person;	/* someone at the clinic must act on it */
};

struct tissver {
	const char *versao;		/* "4.03.00": Padrao, folder names */
	const char *entry;		/* mensagemTISS: tissV4_03_00.xsd */
	const char *ws_entry;		/* SOAP bodies, tissWebServices... */
	const char *simple_types;	/* dm_tipoGlosa lives here */
	const char *stylesheet;		/* xslt/lote-tiss-4.03.00.xsl */
	const char *vigencia;		/* in force from, "aaaa-mm-dd" */
	int	 cnpj_alnum;		/* st_CNPJ is [A-Z0-9]{12}[0-9]{2} */
	int	 names_required;	/* nomeBeneficiario, nomeProfExec */
	int	 max_status;		/* highest dm_statusProtocolo code */
	const struct tissver_limit *limits;	/* ends with field NULL */
};

/* The row of versao ("4.03.00"), or NULL when the project lacks it. */
const struct tissver *tissver_find(const char *versao);

/* The version for new work: 4.03.00, the one in force. */
const struct tissver *tissver_default(void);

/* The i-th row, 0 first, oldest first; NULL past the last. */
const struct tissver *tissver_at(int i);

/* "3.05.00, 4.01.00, 4.03.00", for messages; static storage. */
const char *tissver_names(void);

/*
 * The limit the version puts on field (a TISS element name of the GTO),
 * or NULL when the field has no decimal facet in the table.
 */
const struct tissver_limit *tissver_limit(const struct tissver *v,
	    const char *field);

/* The largest value the limit allows, in hundredths (7-2: 9999999). */
int64_t	 tissver_limit_max(const struct tissver_limit *l);

/* The largest value as Brazilians write it, "99.999,99", into out. */
void	 tissver_limit_text(const struct tissver_limit *l, char out[32]);

/*
 * The status code of the version, or NULL when the version's
 * dm_statusProtocolo has no such code (10 before 4.03.00).
 */
const struct tissver_status *tissver_status(const struct tissver *v,
	    int code);

/*
 * The name of a status code whatever the version (a stored lote may
 * come from any), or "?" when no version knows it.
 */
const char *tissver_status_name(int code);

/*
 * How reports show a status, in Portuguese: its name, and ", requer
 * atenção" when a person must act ("10 Bloqueio judicial - prestador,
 * requer atenção" with the code before it).  Into out.
 */
void	 tissver_status_label(int code, char out[128]);

/* Whether some version knows code; final; needs a person. */
int	 tissver_status_known(int code);
/* Whether code is final / needs a person, whatever the version. */
int	 tissver_status_final(int code);
int	 tissver_status_person(int code);

/*
 * The SQL list of the final codes, "4, 6, 9, 10", for a query's
 * "statusProtocolo NOT IN (...)"; static storage.
 */
const char *tissver_status_final_sql(void);

/*
 * The default folder of the version's official schemas:
 * DATADIR/schemas/VERSION, DATADIR being datadir() (datadir.h:
 * $TISS_DATADIR, beside the programs, or compiled in).  Newly
 * allocated; the caller frees it.
 */
char	*tissver_schemas_default(const struct tissver *v);

/* DATADIR/xslt/ and the row's stylesheet; newly allocated, as above. */
char	*tissver_stylesheet_path(const struct tissver *v);

/* dir/file, newly allocated; the caller frees it. */
char	*tissver_path(const char *dir, const char *file);

/*
 * The glosa table of a version, dm_tipoGlosa: every code the schema
 * enumerates, with the description its annotation gives.
 */
struct tissver_glosas;

/*
 * Read the table from the version's simple-types schema in dir.
 * Returns NULL with the reason in err when the file cannot be read or
 * has no dm_tipoGlosa.  The caller frees it with tissver_glosas_free.
 */
struct tissver_glosas *tissver_glosas_load(const struct tissver *v,
	    const char *dir, char *err, size_t errlen);
void	 tissver_glosas_free(struct tissver_glosas *g);

/* The number of codes in the table. */
int	 tissver_glosas_count(const struct tissver_glosas *g);

/*
 * The description of code ("3172"), or NULL when the version does not
 * know the code or gives no description.  Points into g.
 */
const char *tissver_glosa_text(const struct tissver_glosas *g,
	    const char *code);

/*
 * The glosa table the process describes codes with: that of version v
 * in the schemas folder dir, read on the first tissver_glosa_describe
 * (so a stage that never meets a glosa never reads the schema).  dir is
 * copied.  profile_load calls it with the operator's version.
 */
void	 tissver_glosa_use(const struct tissver *v, const char *dir);

/*
 * How to show a glosa code: given (the operator's descricaoGlosa) when
 * not empty, else the official description from the table of
 * tissver_glosa_use, else "(sem descrição)".  Static or table storage,
 * valid until the next tissver_glosa_use.
 */
const char *tissver_glosa_describe(const char *code, const char *given);

#endif
