#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gto.h"
#include "i18n.h"
#include "parse.h"
#include "text.h"
#include "util.h"

const struct gto_field gto_fields[] = {
	[GF_codigoPrestadorNaOperadora] = { "codigoPrestadorNaOperadora", "codigoPrestadorNaOperadora", GTO_GUIA, GTO_TEXT },
	[GF_numeroGuiaPrestador] = { "numeroGuiaPrestador", "numeroGuiaPrestador", GTO_GUIA, GTO_TEXT },
	[GF_numeroGuiaPrincipal] = { "numeroGuiaPrincipal", "numeroGuiaPrincipal", GTO_GUIA, GTO_TEXT },
	[GF_numeroGuiaOperadora] = { "numeroGuiaOperadora", "numeroGuiaOperadora", GTO_GUIA, GTO_TEXT },
	[GF_senhaAutorizacao] = { "senhaAutorizacao", "senhaAutorizacao", GTO_GUIA, GTO_TEXT },
	[GF_dataAutorizacao] = { "dataAutorizacao", "dataAutorizacao", GTO_GUIA, GTO_DATE },
	[GF_validadeSenha] = { "validadeSenha", "validadeSenha", GTO_GUIA, GTO_DATE },
	[GF_dataSolicitacao] = { "dataSolicitacao", "dataSolicitacao", GTO_GUIA, GTO_DATE },
	[GF_numeroCarteira] = { "numeroCarteira", "numeroCarteira", GTO_GUIA, GTO_TEXT },
	[GF_atendimentoRN] = { "atendimentoRN", "atendimentoRN", GTO_GUIA, GTO_SIMNAO },
	[GF_nomeBeneficiario] = { "nomeBeneficiario", "nomeBeneficiario", GTO_GUIA, GTO_TEXT },
	[GF_planoBeneficiario] = { "planoBeneficiario", "planoBeneficiario", GTO_GUIA, GTO_TEXT },
	[GF_nomeEmpresa] = { "nomeEmpresa", "nomeEmpresa", GTO_GUIA, GTO_TEXT },
	[GF_nomeProfSolic] = { "nomeProfSolic", "nomeProfSolic", GTO_GUIA, GTO_TEXT },
	[GF_croSolic] = { "croSolic", "croSolic", GTO_GUIA, GTO_TEXT },
	[GF_ufSolic] = { "ufSolic", "ufSolic", GTO_GUIA, GTO_UF },
	[GF_cbosSolic] = { "cbosSolic", "cbosSolic", GTO_GUIA, GTO_TEXT },
	[GF_codigoProfExec] = { "codigoProfExec", "codigoProfExec", GTO_GUIA, GTO_TEXT },
	[GF_nomeProfExec] = { "nomeProfExec", "nomeProfExec", GTO_GUIA, GTO_TEXT },
	[GF_croExec] = { "croExec", "croExec", GTO_GUIA, GTO_TEXT },
	[GF_ufExec] = { "ufExec", "ufExec", GTO_GUIA, GTO_UF },
	[GF_cnesExec] = { "cnesExec", "cnesExec", GTO_GUIA, GTO_TEXT },
	[GF_cbosExec2] = { "cbosExec2", "cbosExec2", GTO_GUIA, GTO_TEXT },
	[GF_tipoAtendimento] = { "tipoAtendimento", "tipoAtendimento", GTO_GUIA, GTO_TEXT },
	[GF_tipoFaturamento] = { "tipoFaturamento", "tipoFaturamento", GTO_GUIA, GTO_TEXT },
	[GF_dataTerminoTrat] = { "dataTerminoTrat", "dataTerminoTrat", GTO_GUIA, GTO_DATE },
	[GF_observacao] = { "observacao", "observacao", GTO_GUIA, GTO_TEXT },
	/* The total a file states; kept to be checked, never trusted. */
	[GF_valorTotalProc] = { "valorTotalProc", "valorTotalInformado", GTO_GUIA, GTO_MONEY },
	[GF_sequencialItem] = { "sequencialItem", "sequencialItem", GTO_PROC, GTO_COUNT },
	[GF_codigoTabela] = { "codigoTabela", "codigoTabela", GTO_PROC, GTO_TEXT },
	[GF_codigoProcedimento] = { "codigoProcedimento", "codigoProcedimento", GTO_PROC, GTO_TEXT },
	[GF_descricaoProcedimento] = { "descricaoProcedimento", "descricaoProcedimento", GTO_PROC, GTO_TEXT },
	[GF_codDente] = { "codDente", "codDente", GTO_PROC, GTO_TEXT },
	[GF_codRegiao] = { "codRegiao", "codRegiao", GTO_PROC, GTO_TEXT },
	[GF_denteFace] = { "denteFace", "denteFace", GTO_PROC, GTO_TEXT },
	[GF_qtdProc] = { "qtdProc", "qtdProc", GTO_PROC, GTO_COUNT },
	[GF_qtdUS] = { "qtdUS", "qtdUS", GTO_PROC, GTO_DEC2 },
	[GF_valorProc] = { "valorProc", "valorProc", GTO_PROC, GTO_MONEY },
	[GF_valorFranquia] = { "valorFranquia", "valorFranquia", GTO_PROC, GTO_MONEY },
	[GF_autorizado] = { "autorizado", "autorizado", GTO_PROC, GTO_BOOL },
	[GF_dataRealizacao] = { "dataRealizacao", "dataRealizacao", GTO_PROC, GTO_DATE },
};

const int gto_nfields = (int)(sizeof(gto_fields) / sizeof(gto_fields[0]));
_Static_assert(sizeof(gto_fields) / sizeof(gto_fields[0]) <= GTO_MAXFIELDS,
    "raise GTO_MAXFIELDS");

int
gto_field_find(const char *name)
{
	struct buf want = { 0 }, have = { 0 };
	int i, found = -1;

	text_fold(name, &want);
	for (i = 0; i < gto_nfields && found < 0; i++) {
		buf_reset(&have);
		text_fold(gto_fields[i].name, &have);
		if (want.data && strcmp(want.data, have.data) == 0)
			found = i;
	}
	buf_release(&want);
	buf_release(&have);
	return found;
}

/* dm_UF: the IBGE codes of the states, and 98 for abroad. */
static const char *const ufs[][2] = {
	{ "RO", "11" }, { "AC", "12" }, { "AM", "13" }, { "RR", "14" },
	{ "PA", "15" }, { "AP", "16" }, { "TO", "17" }, { "MA", "21" },
	{ "PI", "22" }, { "CE", "23" }, { "RN", "24" }, { "PB", "25" },
	{ "PE", "26" }, { "AL", "27" }, { "SE", "28" }, { "BA", "29" },
	{ "MG", "31" }, { "ES", "32" }, { "RJ", "33" }, { "SP", "35" },
	{ "PR", "41" }, { "SC", "42" }, { "RS", "43" }, { "MS", "50" },
	{ "MT", "51" }, { "GO", "52" }, { "DF", "53" }, { "EX", "98" },
};

const char *
gto_uf_code(const char *uf)
{
	size_t i;

	int a, b;

	if (uf[0] == '\0' || uf[1] == '\0' || uf[2] != '\0')
		return NULL;	/* every name and code has two characters */
	/* By hand, not strcasecmp: it runs for every row imported. */
	a = toupper((unsigned char)uf[0]);
	b = toupper((unsigned char)uf[1]);
	for (i = 0; i < sizeof(ufs) / sizeof(ufs[0]); i++)
		if ((ufs[i][0][0] == a && ufs[i][0][1] == b) ||
		    (ufs[i][1][0] == uf[0] && ufs[i][1][1] == uf[1]))
			return ufs[i][1];
	return NULL;
}

/* The character rule of each text field (see gto_canonical). */
enum chars { CH_TEXT, CH_ID, CH_CODE, CH_PATH };

static enum chars
field_chars(int f)
{
	switch (f) {
	case GF_codigoPrestadorNaOperadora:
		return CH_PATH;
	case GF_numeroGuiaPrestador:
	case GF_numeroGuiaPrincipal:
	case GF_numeroGuiaOperadora:
	case GF_senhaAutorizacao:
	case GF_numeroCarteira:
		return CH_ID;
	case GF_croSolic:
	case GF_ufSolic:
	case GF_cbosSolic:
	case GF_codigoProfExec:
	case GF_croExec:
	case GF_ufExec:
	case GF_cnesExec:
	case GF_cbosExec2:
	case GF_tipoAtendimento:
	case GF_tipoFaturamento:
	case GF_codigoTabela:
	case GF_codigoProcedimento:
	case GF_codDente:
	case GF_codRegiao:
	case GF_denteFace:
		return CH_CODE;
	default:
		return CH_TEXT;
	}
}

/* Space, TAB, LF, VT, FF, CR. */
static int
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

const char *
gto_trim(const char *s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + *n;

	for (;;) {
		if (p < e && is_space(*p))
			p++;
		else if (e - p >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
			p += 2;
		else
			break;
	}
	for (;;) {
		if (e > p && is_space(e[-1]))
			e--;
		else if (e - p >= 2 && e[-2] == 0xC2 && e[-1] == 0xA0)
			e -= 2;
		else
			break;
	}
	*n = (size_t)(e - p);
	return (const char *)p;
}

/* Whether s keeps the character rule r; NULL, or why not. */
static const char *
check_chars(enum chars r, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	if (n == 0)
		return _("empty; leave the field out instead");
	if (r != CH_TEXT && (p[0] == ' ' || p[n - 1] == ' '))
		return _("begins or ends with a space; write it without");
	for (; *p; p++) {
		if (*p > 0x20 && *p < 0x7F && r != CH_PATH)
			continue;	/* printable ASCII: fine but for paths */
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return _("contains a control character; remove it");
		if (*p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return _("contains a control character; remove it");
		if (r == CH_TEXT)
			continue;
		if (*p < 0x20)
			return _("contains a tab or a line break; an "
			    "identifier or a code is one line: remove it");
		if (*p > 0x7E)
			return _("contains a character outside ASCII; "
			    "identifiers and codes take letters without "
			    "accents, digits and punctuation");
		if (*p == ' ' && r != CH_ID)
			return _("contains a space; codes are written without");
		if (r == CH_PATH && !isalnum(*p) && ((*p != '.' && *p != '-' &&
		    *p != '_') || p == (const unsigned char *)s || p[1] == '\0'))
			return _("not a prestador code: use letters and "
			    "digits, with '.', '-' or '_' only between them "
			    "(it names the prestador's folder under out/)");
	}
	if (r == CH_PATH && n > 14)
		return _("longer than 14 characters (st_texto14); write the "
		    "code the operator gave the prestador");
	return NULL;
}

const char *
gto_canonical(int f, const char *text, char out[32], const char **canon)
{
	const char *why = NULL;
	int64_t v = 0;
	int yes = 0;

	*canon = out;
	switch (gto_fields[f].kind) {
	case GTO_TEXT:
		*canon = text;
		why = check_chars(field_chars(f), text);
		break;
	case GTO_UF:
		*canon = gto_uf_code(text) ? gto_uf_code(text) : text;
		why = check_chars(field_chars(f), text);
		break;
	case GTO_DATE:
		why = parse_date(text, out);
		break;
	case GTO_MONEY:
	case GTO_DEC2:
		why = parse_hundredths(text, &v);
		format_int(v, out);
		break;
	case GTO_COUNT:
		why = parse_count(text, &v);
		format_int(v, out);
		break;
	case GTO_SIMNAO:
	case GTO_BOOL:
		why = parse_yesno(text, &yes);
		if (gto_fields[f].kind == GTO_SIMNAO)
			out[0] = yes ? 'S' : 'N';
		else
			out[0] = yes ? '1' : '0';
		out[1] = '\0';
		break;
	}
	return why;
}

const char *
gto_value(int f, const char *s, size_t n, struct buf *out)
{
	const char *why, *canon;
	char num[32];

	buf_reset(out);
	s = gto_trim(s, &n);
	if (n == 0)
		return NULL;
	if ((why = text_to_utf8(ENC_UTF8, s, n, out)) != NULL)
		return why;
	if ((why = gto_canonical(f, out->data, num, &canon)) != NULL)
		return why;
	if (canon != out->data) {
		buf_reset(out);
		buf_adds(out, canon);
	}
	return NULL;
}
