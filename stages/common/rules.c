#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "gto.h"
#include "rules.h"
#include "text.h"
#include "util.h"

enum rule {
	R_ANS, R_REQ, R_LEN, R_UF, R_CBO, R_TIPOATEND, R_TIPOFAT, R_NOPROC,
	R_TOTAL, R_TABELA, R_TUSS, R_VIGENCIA, R_DESCR, R_DENTE, R_REGIAO,
	R_DENTE_REGIAO, R_FACE, R_FACE_REP, R_FACE_SEM_DENTE, R_QTD, R_VALOR,
	R_FUTURO, R_ANTES_AUT, R_APOS_VALID, R_SEQ, R_DUP, R_CHARSET, R_SCI,
	R_CARTEIRA, R_NRULES
};

/* Code, whether it blocks billing, and what it checks (docs/validation.md). */
static const struct {
	const char *code;
	int	 blocks;
	const char *text;
} rules[R_NRULES] = {
	[R_ANS] = { "V101", 1, "registroANS da operadora ausente ou inválido" },
	[R_REQ] = { "V102", 1, "campo obrigatório não preenchido" },
	[R_LEN] = { "V103", 1, "texto maior que o permitido pela TISS" },
	[R_UF] = { "V104", 1, "UF desconhecida" },
	[R_CBO] = { "V105", 1, "CBO não é de cirurgião-dentista" },
	[R_TIPOATEND] = { "V106", 1, "tipoAtendimento fora de 1 a 5" },
	[R_TIPOFAT] = { "V107", 1, "tipoFaturamento diferente de 1 e 4" },
	[R_NOPROC] = { "V108", 1, "guia sem procedimentos executados" },
	[R_TOTAL] = { "V109", 0, "valor total informado difere da soma" },
	[R_CHARSET] = { "V110", 1, "caractere que a TISS não aceita" },
	[R_SCI] = { "V111", 1, "número em notação científica (estragado pela planilha)" },
	[R_CARTEIRA] = { "V112", 1, "número da carteira com algo além de dígitos ou de tamanho errado" },
	[R_TABELA] = { "V201", 1, "codigoTabela fora do domínio TISS" },
	[R_TUSS] = { "V202", 1, "procedimento não existe na TUSS" },
	[R_VIGENCIA] = { "V203", 1, "procedimento fora de vigência na data" },
	[R_DESCR] = { "V204", 0, "descrição difere da TUSS" },
	[R_DENTE] = { "V205", 1, "dente fora da tabela FDI" },
	[R_REGIAO] = { "V206", 1, "região da boca desconhecida" },
	[R_DENTE_REGIAO] = { "V207", 1, "dente e região ao mesmo tempo" },
	[R_FACE] = { "V208", 1, "face fora do padrão [OLMVDIP]{1,5}" },
	[R_FACE_REP] = { "V209", 1, "face com letra repetida" },
	[R_FACE_SEM_DENTE] = { "V210", 1, "face sem dente" },
	[R_QTD] = { "V211", 1, "qtdProc fora de 1 a 99" },
	[R_VALOR] = { "V212", 1, "valor fora dos limites da TISS" },
	[R_FUTURO] = { "V213", 1, "dataRealizacao no futuro" },
	[R_ANTES_AUT] = { "V214", 1, "dataRealizacao antes da autorização" },
	[R_APOS_VALID] = { "V215", 1, "dataRealizacao após a validade da senha" },
	[R_SEQ] = { "V216", 1, "sequencialItem repetido ou inválido" },
	[R_DUP] = { "V217", 0, "procedimento repetido" },
};

/* ---- domains -------------------------------------------------------------- */

static const char *const tabelas[] = {
	"18", "19", "20", "22", "90", "98", "00", NULL
};

/* dm_dente, FDI. */
static const char *const dentes[] = {
	"11", "12", "13", "14", "15", "16", "17", "18", "19",
	"21", "22", "23", "24", "25", "26", "27", "28", "29",
	"31", "32", "33", "34", "35", "36", "37", "38", "39",
	"41", "42", "43", "44", "45", "46", "47", "48", "49",
	"51", "52", "53", "54", "55", "59", "61", "62", "63", "64", "65", "69",
	"71", "72", "73", "74", "75", "79", "81", "82", "83", "84", "85", "89",
	NULL
};

/* dm_regiao. */
static const char *const regioes[] = {
	"AI", "AS", "HASD", "HASE", "HAID", "HAIE", "ASAI", "S1", "S2", "S3",
	"S4", "S5", "S6", "LG", "CL", "AB", "PA", "MJ", "PD", "PM", "RM",
	"MA", "GI", "PT", "TP", "RIS", "RCSD", "RPSD", "RCID", "RMSD", "RCSE",
	"RPSE", "RMSE", "RII", "RPID", "RMID", "RCIE", "RPIE", "RMIE", "RMD",
	"RME", "RPD", "RPE", "RMPE", "RMPD", "SM", "TU", "SI", "FLI", "FLA",
	"UV", "PP", "PI", "LS", "LI", "RL", "RP", "RV", "RSMD", "RSME", "RSL",
	NULL
};

/* dm_CBOS codes of dentists (2232xx). */
static const char *const cbos_dentista[] = {
	"223204", "223208", "223212", "223216", "223220", "223224", "223228",
	"223232", "223236", "223240", "223244", "223248", "223252", "223256",
	"223260", "223264", "223268", "223272", "223276", "223280", "223284",
	"223288", "223293", NULL
};

static const char *const tipos_atendimento[] = {
	"1", "2", "3", "4", "5", NULL
};

static const char *const tipos_faturamento[] = { "1", "4", NULL };

/* ---- small helpers -------------------------------------------------------- */

static int
in_list(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (v[0] == (*list)[0] && strcmp(v, *list) == 0)
			return 1;
	return 0;
}

/* s folded (text_fold) with runs of blanks made one, none at the ends. */
static void
fold_blanks(const char *s, struct buf *out)
{
	struct buf f = { 0 };
	const char *p;

	text_fold(s, &f);
	for (p = f.data ? f.data : ""; *p; p++)
		if (*p != ' ' || (out->len && out->data[out->len - 1] != ' '))
			buf_addc(out, *p);
	while (out->len && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	buf_release(&f);
}

/* Texts equal ignoring case, accents and runs of blanks. */
static int
same_text(const char *a, const char *b)
{
	struct buf ca = { 0 }, cb = { 0 };
	int same;

	if (strcmp(a, b) == 0)
		return 1;
	fold_blanks(a, &ca);
	fold_blanks(b, &cb);
	same = strcmp(ca.data ? ca.data : "", cb.data ? cb.data : "") == 0;
	buf_release(&ca);
	buf_release(&cb);
	return same;
}

/* ---- what a check found --------------------------------------------------- */

static void
add(struct check *c, int rule, const char *campo, const char *valor,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add(struct check *c, int rule, const char *campo, const char *valor,
    const char *fmt, ...)
{
	struct issue *is;
	va_list ap;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->issues = xrealloc(c->issues, (size_t)c->cap * sizeof(*is));
	}
	is = &c->issues[c->n++];
	is->rule = rule;
	snprintf(is->campo, sizeof(is->campo), "%s", campo);
	va_start(ap, fmt);
	vsnprintf(is->msg, sizeof(is->msg), fmt, ap);
	va_end(ap);
	is->valor = -1;
	if (valor) {
		is->valor = (long)c->values.len;
		buf_add(&c->values, valor, strlen(valor) + 1);
	}
	c->blocking += rules[rule].blocks;
}

static void
add_fill(struct check *c, int pos, const char *termo)
{
	if (c->nfill == c->capfill) {
		c->capfill = c->capfill ? c->capfill * 2 : 8;
		c->fills = xrealloc(c->fills,
		    (size_t)c->capfill * sizeof(*c->fills));
	}
	c->fills[c->nfill].pos = pos;
	c->fills[c->nfill++].termo = termo;
}

const char *
rules_path(char out[96], int pos, int field)
{
	if (pos < 0)
		snprintf(out, 96, "%s", gto_fields[field].name);
	else
		snprintf(out, 96, "procedimentosExecutados[%d].%s", pos + 1,
		    gto_fields[field].name);
	return out;
}

/* ---- the rows ------------------------------------------------------------- */

struct row;

/*
 * Check row r on guide g, or on its procedure pos (pos >= 0), and add
 * what fails to c.
 */
typedef void row_fn(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c);

/*
 * One rule on one field, or on several (field -1).  What lo, hi and set
 * mean is the function's: a range (f_range), a most number of
 * characters (f_length, f_face), another field (f_not_both, f_needs,
 * f_date), 3 for a requirement of TISS 3.05.00 only (f_required); the
 * allowed values (f_in_set) or letters (f_face).
 */
struct row {
	row_fn	*fn;			/* how it is checked */
	int	 rule;			/* the rule code it fails with */
	int	 field;			/* GF_*, or -1 */
	long	 lo, hi;		/* see above */
	const char *const *set;		/* see above */
	const char *msg;		/* the message (some are a format) */
};

/* The values of the guide or of its procedure pos. */
static const char *const *
values(const struct vguide *g, int pos)
{
	return pos < 0 ? g->v : g->procs[pos].v;
}

/* The version the rules follow: the operator's, or the default. */
static const struct tissver *
version(const struct rules_ctx *ctx)
{
	return ctx->ver ? ctx->ver : tissver_default();
}

/* Row r fails on value v of the guide or of procedure pos: its message. */
static void
fail(const struct row *r, int pos, const char *v, struct check *c)
{
	char campo[96];

	add(c, r->rule, rules_path(campo, pos, r->field), v, "%s", r->msg);
}

/*
 * A row function name: the row's field, when filled, fails when bad,
 * int bad(const struct row *r, const char *v), says its value v breaks
 * the rule.
 */
#define VALUE_ROW(name, bad) \
static void \
name(const struct row *r, const struct rules_ctx *ctx, \
    const struct vguide *g, int pos, struct check *c) \
{ \
	const char *v = values(g, pos)[r->field]; \
 \
	(void)ctx; \
	if (v && bad(r, v)) \
		fail(r, pos, v, c); \
}

/* The row's field is filled. */
static void
f_required(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	/* REQ_V3: only where the version requires the names (3.05.00). */
	if (r->lo == 3 && !version(ctx)->names_required)
		return;
	if (values(g, pos)[r->field] == NULL)
		fail(r, pos, NULL, c);
}

/* At most r->hi characters (st_textoN). */
static void
f_length(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *v = values(g, pos)[r->field];
	char campo[96];
	int n;

	(void)ctx;
	/* No more bytes than r->hi: no more characters either. */
	if (v && strnlen(v, (size_t)r->hi + 1) > (size_t)r->hi &&
	    (n = (int)text_utf8_chars(v)) > r->hi)
		add(c, r->rule, rules_path(campo, pos, r->field), v, "tem %d "
		    "caracteres; a TISS aceita no máximo %d", n, (int)r->hi);
}

/* Not one of r->set. */
static int
not_in_set(const struct row *r, const char *v)
{
	return !in_list(v, r->set);
}

VALUE_ROW(f_in_set, not_in_set)

/*
 * A decimal in hundredths from r->lo up to the facet of the version's
 * schema for the field (tissver: qtdUS is 7-2 in 4.03.00, valorProc 8-2
 * in 4.01.00, ...): above it the operator's schema would refuse the
 * whole lote, so it is a pendência naming the limit and the version.
 */
static void
f_facet(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *v = values(g, pos)[r->field];
	const struct tissver *ver = version(ctx);
	const struct tissver_limit *l;
	char campo[96], max[32];
	long long x;

	if (v == NULL || (l = tissver_limit(ver, gto_fields[r->field].name)) ==
	    NULL || ((x = strtoll(v, NULL, 10)) >= r->lo &&
	    x <= tissver_limit_max(l)))
		return;
	tissver_limit_text(l, max);
	add(c, r->rule, rules_path(campo, pos, r->field), v, "deve ser de %s "
	    "a %s na TISS %s (%s, em centésimos)", r->lo ? "0,01" : "0", max,
	    ver->versao, l->type);
}

/* Not a whole number from r->lo to r->hi. */
static int
out_of_range(const struct row *r, const char *v)
{
	long long x = strtoll(v, NULL, 10);

	return x < r->lo || x > r->hi;
}

/* Not a state by its IBGE code (a known "SP" was converted on input). */
static int
not_uf(const struct row *r, const char *uf)
{
	const char *code = gto_uf_code(uf);

	(void)r;
	return code == NULL || strcmp(code, uf) != 0;
}

VALUE_ROW(f_range, out_of_range)
VALUE_ROW(f_uf, not_uf)

/*
 * Not a number a spreadsheet wrote in scientific notation ("1,23456E+13",
 * "1.2E13"): the digits after the sixth or so are lost, so the value
 * must be typed again from the paper (in a cell formatted as text).
 */
static int
is_sci(const char *v)
{
	const char *p = v + strspn(v, "0123456789");

	if (p == v)
		return 0;
	if (*p == ',' || *p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	if (*p != 'E' && *p != 'e')
		return 0;
	p += p[1] == '+' ? 2 : 1;
	return *p && strspn(p, "0123456789") == strlen(p);
}

static int
sci(const struct row *r, const char *v)
{
	(void)r;
	return is_sci(v);
}

VALUE_ROW(f_sci, sci)

/*
 * Only digits (a card number; letters or signs are a typing error), as
 * many as the operator's cards have ([operadora] carteira_digitos).
 */
static void
f_digits(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *v = values(g, pos)[r->field];
	char campo[96];
	int n = ctx->carteira_digitos;

	if (v == NULL || is_sci(v))
		return;
	if (strspn(v, "0123456789") != strlen(v))
		fail(r, pos, v, c);
	else if (n > 0 && strlen(v) != (size_t)n)
		add(c, r->rule, rules_path(campo, pos, r->field), v, "tem %zu "
		    "dígitos, e a carteira desta operadora tem %d: confira na "
		    "carteirinha (zeros à esquerda contam)", strlen(v), n);
}

/* Not both the row's field and field r->lo (named in the message). */
static void
f_not_both(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *const *v = values(g, pos);
	char campo[96];

	(void)ctx;
	if (v[r->field] && v[r->lo])
		add(c, r->rule, rules_path(campo, pos, r->field), v[r->field],
		    r->msg, v[r->lo]);
}

/* The row's field only with field r->lo. */
static void
f_needs(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *const *v = values(g, pos);

	(void)ctx;
	if (v[r->field] && v[r->lo] == NULL)
		fail(r, pos, v[r->field], c);
}

/*
 * Whether face is up to r->hi letters of the row's set string (*bad
 * stays 0), and whether one repeats.
 */
static int
face_repeats(const struct row *r, const char *face, int *bad)
{
	int i, j, rep = 0;

	*bad = strlen(face) > (size_t)r->hi;
	for (i = 0; face[i]; i++) {
		if (strchr(r->set[0], face[i]) == NULL)
			*bad = 1;
		for (j = 0; j < i; j++)
			if (face[j] == face[i])
				rep = 1;
	}
	return rep;
}

/* Letters of the set, at most r->hi: R_FACE; no repeats: R_FACE_REP. */
static void
f_face(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *face = values(g, pos)[r->field];
	int bad, rep;

	(void)ctx;
	if (face == NULL)
		return;
	rep = face_repeats(r, face, &bad);
	if ((r->rule == R_FACE && bad) || (r->rule == R_FACE_REP && !bad &&
	    rep))
		fail(r, pos, face, c);
}

/*
 * dataRealizacao against a date of the guide, field r->lo, or today when
 * r->lo is -1: fails when before it (r->hi < 0) or after it (r->hi > 0).
 */
static void
f_date(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *date = values(g, pos)[r->field], *other;
	char campo[96], d1[11], d2[11];
	int cmp;

	other = r->lo < 0 ? ctx->today : g->v[r->lo];
	if (date == NULL || other == NULL)
		return;
	cmp = strcmp(date, other);
	if ((r->hi < 0 && cmp < 0) || (r->hi > 0 && cmp > 0)) {
		add(c, r->rule, rules_path(campo, pos, r->field), date, r->msg,
		    fmt_date(date, d1), fmt_date(other, d2));
		c->dated |= r->lo < 0;
	}
}

/* Each character fits ISO-8859-1 text (rules_charset). */
static void f_charset(const struct row *, const struct rules_ctx *,
    const struct vguide *, int, struct check *);

/* ---- rows over several fields or procedures ------------------------------- */

static void
f_ans(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *ans = ctx->registro_ans;

	(void)g;
	(void)pos;
	if (ans == NULL)
		add(c, r->rule, "registroANS", NULL, "registro ANS da "
		    "operadora não configurado: defina [operadora] "
		    "registro_ans em tiss.conf");
	else if (strlen(ans) != 6 || strspn(ans, "0123456789") != 6)
		add(c, r->rule, "registroANS", ans, "deve ter 6 dígitos: "
		    "corrija [operadora] registro_ans em tiss.conf");
}

static void
f_noproc(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	(void)ctx;
	(void)pos;
	if (g->nprocs == 0)
		add(c, r->rule, "procedimentosExecutados", NULL, "%s", r->msg);
}

/* sequencialItem unique in the guide. */
static void
f_seq_unique(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *seq = g->procs[pos].v[r->field], *other;
	char campo[96];
	int j;

	(void)ctx;
	for (j = 0; seq && j < pos; j++) {
		other = g->procs[j].v[r->field];
		if (other && strcmp(other, seq) == 0) {
			add(c, r->rule, rules_path(campo, pos, r->field), seq,
			    "repete o do procedimento [%d]; cada item da guia "
			    "tem o seu número", j + 1);
			return;
		}
	}
}

/* First term of code, or NULL; terms of a code are adjacent. */
static const struct tuss_term *
tuss_find(const struct rules_ctx *ctx, const char *code, size_t *count)
{
	size_t lo = 0, hi = ctx->ntuss, first;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(ctx->tuss[mid].codigo, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < ctx->ntuss && strcmp(ctx->tuss[lo].codigo, code) == 0)
		lo++;
	*count = lo - first;
	return *count ? &ctx->tuss[first] : NULL;
}

/*
 * The TUSS term of procedure v, for a TUSS code (tabela 22) when a table
 * is loaded: the one in force on its date, or the latest when it has no
 * date; NULL when none.  *known says whether the code is in the table
 * (1), not (0), or was not looked up (-1).
 */
static const struct tuss_term *
proc_term(const struct rules_ctx *ctx, const char *const *v, int *known)
{
	const char *code = v[GF_codigoProcedimento];
	const char *date = v[GF_dataRealizacao];
	const char *tabela = v[GF_codigoTabela];
	const struct tuss_term *t;
	size_t i, n;

	*known = -1;
	if (code == NULL || ctx->ntuss == 0 || tabela == NULL ||
	    strcmp(tabela, "22") != 0)
		return NULL;
	t = tuss_find(ctx, code, &n);
	if ((*known = t != NULL) == 0)
		return NULL;
	if (date == NULL)
		return &t[n - 1];
	for (i = 0; i < n; i++)
		if (strcmp(t[i].inicio, date) <= 0 &&
		    (t[i].fim == NULL || strcmp(t[i].fim, date) >= 0))
			return &t[i];
	return NULL;
}

/* The code exists in the TUSS table (R_TUSS) and was in force (R_VIGENCIA). */
static void
f_tuss(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *const *v = g->procs[pos].v;
	const char *code = v[GF_codigoProcedimento];
	char campo[96], d1[11];
	int known;

	(void)r;
	if (proc_term(ctx, v, &known) != NULL || known < 0)
		return;
	rules_path(campo, pos, GF_codigoProcedimento);
	if (known == 0)
		add(c, R_TUSS, campo, code, "código não existe na tabela "
		    "TUSS 22 carregada");
	else if (v[GF_dataRealizacao])
		add(c, R_VIGENCIA, campo, code, "não estava em vigor na TUSS "
		    "em %s", fmt_date(v[GF_dataRealizacao], d1));
}

/*
 * descricaoProcedimento: an empty one is filled from the TUSS term or is
 * missing (R_REQ); a given one matches the term (R_DESCR, an aviso).
 */
static void
f_descr(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *const *v = g->procs[pos].v;
	const char *descr = v[GF_descricaoProcedimento];
	const struct tuss_term *term;
	char campo[96];
	int known;

	term = proc_term(ctx, v, &known);
	if (descr == NULL && term != NULL)
		add_fill(c, pos, term->termo);
	else if (descr == NULL)
		add(c, R_REQ, rules_path(campo, pos, r->field), NULL, "campo "
		    "obrigatório não preenchido (carregue a TUSS com tiss-tuss "
		    "para preenchê-lo pelo código)");
	else if (term != NULL && !same_text(descr, term->termo))
		add(c, R_DESCR, rules_path(campo, pos, r->field), descr,
		    "difere do termo da TUSS para %s: '%s'",
		    v[GF_codigoProcedimento], term->termo);
}

/* The same procedure, tooth, face and day twice: a classic glosa. */
static void
f_dup(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	static const int keys[] = {
		GF_codigoProcedimento, GF_codDente, GF_denteFace,
		GF_dataRealizacao, -1
	};
	const char *const *v = g->procs[pos].v, *const *w;
	char campo[96];
	int i, j, f, same;

	(void)ctx;
	for (j = 0; v[GF_codigoProcedimento] && j < pos; j++) {
		w = g->procs[j].v;
		for (i = 0, same = 1; keys[i] >= 0 && same; i++) {
			f = keys[i];
			same = (v[f] == NULL) == (w[f] == NULL) &&
			    (v[f] == NULL || strcmp(v[f], w[f]) == 0);
		}
		if (same) {
			add(c, r->rule, rules_path(campo, pos, r->field),
			    v[r->field], "mesmo procedimento, dente, face e "
			    "data do procedimento [%d]; confira se não é "
			    "duplicado", j + 1);
			return;
		}
	}
}

static void f_each_proc(const struct row *, const struct rules_ctx *,
    const struct vguide *, int, struct check *);

/* A stated valorTotalProc equals the sum (an aviso: the sum is billed). */
static void
f_total(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const char *v = g->v[r->field];
	char m1[FMT_MONEY], m2[FMT_MONEY];

	(void)ctx;
	(void)pos;
	if (v && strtoll(v, NULL, 10) != c->total)
		add(c, r->rule, gto_fields[r->field].name, v, "o total "
		    "informado (%s) difere da soma dos procedimentos (%s); "
		    "vale a soma", fmt_money(strtoll(v, NULL, 10), m1),
		    fmt_money(c->total, m2));
}

/* ---- the tables ----------------------------------------------------------- */

#define REQ(f)		{ f_required, R_REQ, f, 0, 0, NULL, MSG_REQ }
#define REQ_V3(f)	{ f_required, R_REQ, f, 3, 0, NULL, MSG_REQ_V3 }
#define LEN(f, n)	{ f_length, R_LEN, f, 0, n, NULL, NULL }
#define MSG_SCI		"a planilha escreveu o número em notação científica " \
			"e perdeu dígitos: digite-o de novo numa célula " \
			"formatada como texto"
#define SCI(f)		{ f_sci, R_SCI, f, 0, 0, NULL, MSG_SCI }
#define MSG_REQ		"campo obrigatório não preenchido"
#define MSG_REQ_V3	"campo obrigatório na TISS 3.05.00 não preenchido"
#define MSG_UF		"UF desconhecida: use a sigla (ex.: SP) ou o código " \
			"IBGE (ex.: 35)"
#define MSG_CBO		"não é um CBO de cirurgião-dentista (223204 a " \
			"223293; clínico geral é 223208)"

/*
 * The guide's rules in the order their pendências are listed: the
 * required elements of TISS 4.01.00 (NOTES.md §2) and those 3.05.00 adds,
 * the st_textoN lengths, the domains, the procedures, the total.
 */
static const struct row guide_rows[] = {
	{ f_ans, R_ANS, -1, 0, 0, NULL, NULL },
	REQ(GF_numeroCarteira), REQ(GF_atendimentoRN),
	REQ(GF_planoBeneficiario), REQ(GF_codigoProfExec), REQ(GF_croExec),
	REQ(GF_ufExec), REQ(GF_cnesExec), REQ(GF_cbosExec2),
	REQ(GF_tipoAtendimento), REQ(GF_tipoFaturamento),
	REQ_V3(GF_nomeBeneficiario), REQ_V3(GF_nomeProfExec),
	LEN(GF_numeroGuiaPrestador, 20), LEN(GF_numeroGuiaPrincipal, 20),
	LEN(GF_senhaAutorizacao, 20), LEN(GF_numeroGuiaOperadora, 20),
	LEN(GF_numeroCarteira, 20), LEN(GF_nomeBeneficiario, 70),
	LEN(GF_planoBeneficiario, 40), LEN(GF_nomeEmpresa, 40),
	LEN(GF_nomeProfSolic, 70), LEN(GF_croSolic, 15),
	LEN(GF_codigoProfExec, 14), LEN(GF_nomeProfExec, 70),
	LEN(GF_croExec, 15), LEN(GF_cnesExec, 7), LEN(GF_observacao, 500),
	{ f_charset, R_CHARSET, -1, 0, 0, NULL, NULL },
	SCI(GF_numeroCarteira), SCI(GF_numeroGuiaPrestador),
	SCI(GF_numeroGuiaOperadora), SCI(GF_senhaAutorizacao),
	SCI(GF_codigoProfExec), SCI(GF_croExec), SCI(GF_cnesExec),
	{ f_digits, R_CARTEIRA, GF_numeroCarteira, 0, 0, NULL, "o número da "
	    "carteira deve ter só dígitos: confira na carteirinha e digite-o de "
	    "novo (numa célula formatada como texto)" },
	{ f_uf, R_UF, GF_ufExec, 0, 0, NULL, MSG_UF },
	{ f_uf, R_UF, GF_ufSolic, 0, 0, NULL, MSG_UF },
	{ f_in_set, R_CBO, GF_cbosExec2, 0, 0, cbos_dentista, MSG_CBO },
	{ f_in_set, R_CBO, GF_cbosSolic, 0, 0, cbos_dentista, MSG_CBO },
	{ f_in_set, R_TIPOATEND, GF_tipoAtendimento, 0, 0, tipos_atendimento,
	    "use 1 tratamento, 2 exame radiológico, 3 ortodontia, "
	    "4 urgência/emergência ou 5 auditoria" },
	{ f_in_set, R_TIPOFAT, GF_tipoFaturamento, 0, 0, tipos_faturamento,
	    "use 1 (parcial) ou 4 (total)" },
	{ f_noproc, R_NOPROC, -1, 0, 0, NULL,
	    "a guia não tem nenhum procedimento executado" },
	{ f_each_proc, -1, -1, 0, 0, NULL, NULL },
	{ f_total, R_TOTAL, GF_valorTotalProc, 0, 0, NULL, NULL },
	{ NULL, -1, -1, 0, 0, NULL, NULL }
};

static const char *const face_letters[] = { "OLMVDIP", NULL };

/* Each procedure's rules, in the order their pendências are listed. */
static const struct row proc_rows[] = {
	REQ(GF_sequencialItem), REQ(GF_codigoTabela),
	REQ(GF_codigoProcedimento), REQ(GF_qtdProc), REQ(GF_valorProc),
	REQ(GF_autorizado), REQ(GF_dataRealizacao),
	LEN(GF_codigoProcedimento, 10), LEN(GF_descricaoProcedimento, 150),
	{ f_charset, R_CHARSET, -1, 0, 0, NULL, NULL },
	SCI(GF_codigoProcedimento),
	{ f_range, R_SEQ, GF_sequencialItem, 1, 9999, NULL,
	    "deve ser de 1 a 9999" },
	{ f_seq_unique, R_SEQ, GF_sequencialItem, 0, 0, NULL, NULL },
	{ f_in_set, R_TABELA, GF_codigoTabela, 0, 0, tabelas, "não é uma "
	    "tabela TISS (18, 19, 20, 22, 90, 98 ou 00); procedimentos "
	    "odontológicos usam 22 (TUSS)" },
	{ f_tuss, R_TUSS, GF_codigoProcedimento, 0, 0, NULL, NULL },
	{ f_descr, R_DESCR, GF_descricaoProcedimento, 0, 0, NULL, NULL },
	{ f_not_both, R_DENTE_REGIAO, GF_codRegiao, GF_codDente, 0, NULL,
	    "informe o dente (%s) ou a região, não os dois" },
	{ f_in_set, R_DENTE, GF_codDente, 0, 0, dentes, "não é um dente da "
	    "tabela FDI (11-18, 21-28, 31-38, 41-48, 51-55, 61-65, 71-75, "
	    "81-85 e supranumerários)" },
	{ f_in_set, R_REGIAO, GF_codRegiao, 0, 0, regioes, "não é uma região "
	    "da boca da tabela TISS (ex.: AS, AI, S1, LG)" },
	{ f_needs, R_FACE_SEM_DENTE, GF_denteFace, GF_codDente, 0, NULL,
	    "face informada sem o dente (codDente)" },
	{ f_face, R_FACE, GF_denteFace, 0, 5, face_letters, "use de 1 a 5 "
	    "letras de O, L, M, V, D, I, P (ex.: MOD)" },
	{ f_face, R_FACE_REP, GF_denteFace, 0, 5, face_letters,
	    "cada face aparece uma vez só" },
	{ f_range, R_QTD, GF_qtdProc, 1, 99, NULL,
	    "a quantidade deve ser de 1 a 99" },
	{ f_facet, R_VALOR, GF_valorProc, 1, 0, NULL, NULL },
	{ f_facet, R_VALOR, GF_valorFranquia, 0, 0, NULL, NULL },
	{ f_facet, R_VALOR, GF_qtdUS, 0, 0, NULL, NULL },
	{ f_date, R_FUTURO, GF_dataRealizacao, -1, 1, NULL,
	    "%s está no futuro" },
	{ f_date, R_ANTES_AUT, GF_dataRealizacao, GF_dataAutorizacao, -1, NULL,
	    "%s é anterior à autorização (%s)" },
	{ f_date, R_APOS_VALID, GF_dataRealizacao, GF_validadeSenha, 1, NULL,
	    "%s é posterior à validade da senha (%s)" },
	{ f_dup, R_DUP, GF_codigoProcedimento, 0, 0, NULL, NULL },
	{ NULL, -1, -1, 0, 0, NULL, NULL }
};

static void
run(const struct row *rows, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	const struct row *r;

	for (r = rows; r->fn; r++)
		r->fn(r, ctx, g, pos, c);
}

static void
f_each_proc(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	(void)r;
	(void)pos;
	for (pos = 0; pos < g->nprocs; pos++)
		run(proc_rows, ctx, g, pos, c);
}

/* ---- characters ----------------------------------------------------------- */

/*
 * The code point of the UTF-8 sequence at s and its length in *len; -1
 * (length 1) for a byte that starts no valid sequence.
 */
static long
utf8_decode(const unsigned char *s, int *len)
{
	long cp;
	int n, i;

	if (s[0] < 0x80)
		n = 1, cp = s[0];
	else if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, cp = s[0] & 0x07;
	else
		n = 0, cp = -1;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			break;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if (n == 0 || i < n || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		*len = 1;
		return -1;
	}
	*len = n;
	return cp;
}

/*
 * Whether a TISS message (ISO-8859-1, XML 1.0) can carry code point cp:
 * not above U+00FF, not a control character other than tab, line feed
 * and carriage return.
 */
static int
tiss_char(long cp)
{
	return cp >= 0 && cp <= 0xFF &&
	    (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r');
}

/* The character at s, as "U+202E", or "0xFF" for a byte that is not text. */
static void
char_name(const unsigned char *s, long cp, char out[16])
{
	if (cp < 0)
		snprintf(out, 16, "0x%02X", s[0]);
	else
		snprintf(out, 16, "U+%04lX", cp);
}

/*
 * The first character of v that TISS cannot carry: its position from 1
 * in *at and its name in name; 0 when there is none.
 */
static int
charset_first(const char *v, int *at, char name[16])
{
	const unsigned char *s = (const unsigned char *)v;
	int len, pos;
	long cp;

	for (pos = 1; *s; s += len, pos++)
		if (!tiss_char(cp = utf8_decode(s, &len))) {
			*at = pos;
			char_name(s, cp, name);
			return 1;
		}
	return 0;
}

/* v with each character TISS cannot carry written as <U+202E>. */
static void
charset_escape(const char *v, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)v;
	char name[16];
	int len;
	long cp;

	for (; *s; s += len) {
		cp = utf8_decode(s, &len);
		if (tiss_char(cp))
			buf_add(out, s, (size_t)len);
		else {
			char_name(s, cp, name);
			buf_addf(out, "<%s>", name);
		}
	}
}

/* Printable ASCII, tab, line feed, carriage return only: nothing to look at. */
static int
plain(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (;; p++) {
		while (*p >= 0x20 && *p < 0x80)	/* the common case, first */
			p++;
		if (*p == '\0')
			return 1;
		if (*p >= 0x80 || (*p != '\t' && *p != '\n' && *p != '\r'))
			return 0;
	}
}

static void
f_charset(const struct row *r, const struct rules_ctx *ctx,
    const struct vguide *g, int pos, struct check *c)
{
	static int fields[2][GTO_MAXFIELDS], nf[2] = { -1, -1 };
	const char *const *v = values(g, pos);
	struct buf shown = { 0 };
	char campo[96], name[16];
	int f, i, at, lv = pos >= 0;

	(void)ctx;
	if (nf[lv] < 0)		/* the level's fields, listed once */
		for (nf[lv] = f = 0; f < gto_nfields; f++)
			if (gto_fields[f].level == (lv ? GTO_PROC : GTO_GUIA))
				fields[lv][nf[lv]++] = f;
	for (i = 0; i < nf[lv]; i++) {
		f = fields[lv][i];
		if (v[f] == NULL || plain(v[f]) || !charset_first(v[f], &at,
		    name))
			continue;
		buf_reset(&shown);
		charset_escape(v[f], &shown);
		add(c, r->rule, rules_path(campo, pos, f), shown.data,
		    "caractere %s na posição %d: a TISS (ISO-8859-1) não o "
		    "aceita; apague-o ou digite o texto de novo", name, at);
	}
	buf_release(&shown);
}

/* ---- the whole guide ------------------------------------------------------ */

void
rules_check(const struct rules_ctx *ctx, const struct vguide *g,
    struct check *c)
{
	int i;

	rules_check_reset(c);
	for (i = 0; i < g->nprocs; i++)
		if (g->procs[i].v[GF_valorProc])
			c->total += strtoll(g->procs[i].v[GF_valorProc], NULL,
			    10);
	run(guide_rows, ctx, g, -1, c);
}

/* s tagged and ended by a byte no value has; NULL a tag alone. */
static void
digest_str(struct buf *out, const char *s)
{
	buf_addc(out, s ? 's' : 'n');
	if (s)
		buf_add(out, s, strlen(s) + 1);
}

void
rules_ctx_digest(const struct rules_ctx *ctx, struct buf *out)
{
	size_t i;

	digest_str(out, ctx->registro_ans);
	digest_str(out, version(ctx)->versao);
	buf_addf(out, "d%d", ctx->carteira_digitos);
	buf_addc(out, '\0');
	buf_addf(out, "t%zu", ctx->ntuss);
	buf_addc(out, '\0');
	for (i = 0; i < ctx->ntuss; i++) {
		digest_str(out, ctx->tuss[i].codigo);
		digest_str(out, ctx->tuss[i].termo);
		digest_str(out, ctx->tuss[i].inicio);
		digest_str(out, ctx->tuss[i].fim);
	}
}

void
rules_check_reset(struct check *c)
{
	c->n = c->blocking = c->nfill = c->dated = 0;
	c->total = 0;
	buf_reset(&c->values);
}

void
rules_check_release(struct check *c)
{
	free(c->issues);
	free(c->fills);
	buf_release(&c->values);
	memset(c, 0, sizeof(*c));
}

const char *
rules_value(const struct check *c, const struct issue *is)
{
	return is->valor < 0 ? NULL : c->values.data + is->valor;
}

int
rules_count(void)
{
	return R_NRULES;
}

const char *
rules_code(int rule)
{
	return rule >= 0 && rule < R_NRULES ? rules[rule].code : NULL;
}

const char *
rules_text(int rule)
{
	return rule >= 0 && rule < R_NRULES ? rules[rule].text : NULL;
}

int
rules_blocks(int rule)
{
	return rule >= 0 && rule < R_NRULES ? rules[rule].blocks : 0;
}
