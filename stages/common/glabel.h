/*
 * The labels printed on the ANS GTO form, as a clerk's spreadsheet uses
 * them for column names (docs/csv-format.md says where each comes from):
 * a header to its GTO field, and the label written for a field.  A leaf
 * over the GTO field table (gto.h), used by the guide's CSV columns
 * (guide.h) and the spreadsheet export (gsheet.h).
 */
#ifndef TISS_GLABEL_H
#define TISS_GLABEL_H

/* Columns that are no GTO field (glabel_column). */
#define GLABEL_UNKNOWN	(-1)	/* not a column this project knows */
#define GLABEL_KEY	(-2)	/* "Chave": the export's key, G<id>-<item> */
#define GLABEL_PEND	(-3)	/* "Pendências": read-only, ignored */
#define GLABEL_DR	(-4)	/* "Dente/Região": codDente or codRegiao */
#define GLABEL_IGNORE	(-5)	/* on the form, not stored ("Registro ANS") */

/*
 * The field a column header names: a TISS element name, or a label of
 * the GTO form with or without its field number ("10 - Número da
 * Carteira"), in long or short form (Nº, Cód., Qtde., R$), any case,
 * with or without accents; a bare CRO, UF or CBO is the executing
 * professional's.  Returns the field id, or one of the GSHEET_ codes.
 */
int	 glabel_column(const char *header);

/* The form's label written for field f (UTF-8, static). */
const char *glabel_text(int f);

#endif
