/*
 * The fields of a dental guide (GTO) as this project stores them: one
 * table that ties the TISS element name (also the CSV column name and,
 * mostly, the database column) to its level and value kind.
 */
#ifndef TISS_GTO_H
#define TISS_GTO_H

#include <stddef.h>

#include "util.h"

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
	GTO_BOOL,		/* 1 or 0 */
	GTO_UF			/* IBGE state code; "SP" becomes "35" */
};

/* Index of each field in gto_fields[]. */
enum gto_field_id {
	GF_codigoPrestadorNaOperadora,
	GF_numeroGuiaPrestador,
	GF_numeroGuiaPrincipal,
	GF_numeroGuiaOperadora,
	GF_senhaAutorizacao,
	GF_dataAutorizacao,
	GF_validadeSenha,
	GF_dataSolicitacao,
	GF_numeroCarteira,
	GF_atendimentoRN,
	GF_nomeBeneficiario,
	GF_planoBeneficiario,
	GF_nomeEmpresa,
	GF_nomeProfSolic,
	GF_croSolic,
	GF_ufSolic,
	GF_cbosSolic,
	GF_codigoProfExec,
	GF_nomeProfExec,
	GF_croExec,
	GF_ufExec,
	GF_cnesExec,
	GF_cbosExec2,
	GF_tipoAtendimento,
	GF_tipoFaturamento,
	GF_dataTerminoTrat,
	GF_observacao,
	GF_valorTotalProc,
	GF_sequencialItem,
	GF_codigoTabela,
	GF_codigoProcedimento,
	GF_descricaoProcedimento,
	GF_codDente,
	GF_codRegiao,
	GF_denteFace,
	GF_qtdProc,
	GF_qtdUS,
	GF_valorProc,
	GF_valorFranquia,
	GF_autorizado,
	GF_dataRealizacao,
	GF_COUNT
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

/*
 * The one definition of "trimmed": s (n bytes) without the white space
 * at either end (space, TAB, CR, LF, VT, FF and the no-break space
 * U+00A0 spreadsheets leave).  Returns the start and sets *n to the
 * length that remains; 0 means the value is empty, i.e. missing (a guide
 * number of three spaces is no guide number).  Never fails.
 */
const char *gto_trim(const char *s, size_t *n);

/*
 * Convert a trimmed (gto_trim), non-empty UTF-8 value of field f to the
 * canonical form stored in the database in out (or *canon = text when
 * the text is already canonical): dates "aaaa-mm-dd", numbers as integer
 * text, S/N, 1/0, UF as IBGE code.  Text fields are checked against
 * their character rule, the same at every entry (CSV import, tiss-guia,
 * tiss-fetch):
 *   - codigoPrestadorNaOperadora names a folder (out/PRESTADOR/): ASCII
 *     letters and digits, with '.', '-' or '_' only between them, at
 *     most 14 characters (st_texto14);
 *   - identifiers (guide numbers, senha, carteira): printable ASCII,
 *     spaces only inside;
 *   - codes (CRO, CBO, CNES, tables, procedures, teeth, regions, faces,
 *     UF, tipo*): printable ASCII without spaces;
 *   - free text (names, descriptions, observacao): no control character
 *     but TAB, CR and LF.
 * Returns NULL, or a static message saying what is wrong and how to
 * write the value instead.  A UF that is not known is kept as given, for
 * tiss-validate to report.
 */
const char *gto_canonical(int f, const char *text, char out[32],
	    const char **canon);

/*
 * The canonical value of field f from n bytes of UTF-8 text as typed or
 * received: gto_trim, no control character but TAB, CR and LF, then
 * gto_canonical.  Puts it in out (reset first; out->len 0 when the text
 * is only white space, i.e. no value).  Returns NULL, or a static
 * message saying what is wrong and how to write it.
 */
const char *gto_value(int f, const char *s, size_t n, struct buf *out);

/* The IBGE code ("35") of a UF given as letters ("SP") or code; NULL. */
const char *gto_uf_code(const char *uf);

#endif
