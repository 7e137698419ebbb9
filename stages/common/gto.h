/*
 * The fields of a dental guide (GTO) as this project stores them: one
 * table that ties the TISS element name (also the CSV column name and,
 * mostly, the database column) to its level and value kind.
 */
#ifndef TISS_GTO_H
#define TISS_GTO_H

enum gto_level {
	GTO_GUIA,		/* one value per guide */
	GTO_PROC		/* one value per executed procedure */
};

enum gto_kind {
	GTO_TEXT,		/* stored as given, trimmed */
	GTO_DATE,		/* "aaaa-mm-dd" */
	GTO_MONEY,		/* integer centavos */
	GTO_DEC2,		/* integer hundredths (qtdUS) */
	GTO_COUNT,		/* whole number */
	GTO_SIMNAO,		/* 'S' or 'N' */
	GTO_BOOL		/* 1 or 0 */
};

#define GTO_MAXFIELDS	64	/* room in per-field arrays */

struct gto_field {
	const char *name;	/* TISS element name, CSV column name */
	const char *column;	/* database column */
	enum gto_level level;
	enum gto_kind kind;
};

extern const struct gto_field gto_fields[];
extern const int gto_nfields;

/* Index of the field whose name matches ignoring case and accents; -1. */
int	 gto_field_find(const char *name);

#endif
