#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "exitcodes.h"
#include "gto.h"
#include "log.h"
#include "text.h"
#include "util.h"
#include "validate.h"

#define BATCH		2000	/* guides per transaction */
#define POOL_CHUNK	65536

struct tuss_term {
	char	*codigo;
	char	*termo;
	char	*inicio;	/* "aaaa-mm-dd" */
	char	*fim;		/* NULL: still in force */
};

enum rule {
	R_ANS, R_REQ, R_LEN, R_UF, R_CBO, R_TIPOATEND, R_TIPOFAT, R_NOPROC,
	R_TOTAL, R_TABELA, R_TUSS, R_VIGENCIA, R_DESCR, R_DENTE, R_REGIAO,
	R_DENTE_REGIAO, R_FACE, R_FACE_REP, R_FACE_SEM_DENTE, R_QTD, R_VALOR,
	R_FUTURO, R_ANTES_AUT, R_APOS_VALID, R_SEQ, R_DUP, R_NRULES
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

/* TISS 4.01.00 required guide elements (NOTES.md §2). */
static const int required_guide[] = {
	GF_numeroCarteira, GF_atendimentoRN, GF_planoBeneficiario,
	GF_codigoProfExec, GF_croExec, GF_ufExec, GF_cnesExec, GF_cbosExec2,
	GF_tipoAtendimento, GF_tipoFaturamento, -1
};
/* Also required by TISS 3.05.00. */
static const int required_guide_v3[] = {
	GF_nomeBeneficiario, GF_nomeProfExec, -1
};
static const int required_proc[] = {
	GF_sequencialItem, GF_codigoTabela, GF_codigoProcedimento, GF_qtdProc,
	GF_valorProc, GF_autorizado, GF_dataRealizacao, -1
};

/* st_textoN lengths, in characters. */
static const struct {
	int	 field;
	int	 max;
} lengths[] = {
	{ GF_numeroGuiaPrestador, 20 }, { GF_numeroGuiaPrincipal, 20 },
	{ GF_senhaAutorizacao, 20 }, { GF_numeroGuiaOperadora, 20 },
	{ GF_numeroCarteira, 20 }, { GF_nomeBeneficiario, 70 },
	{ GF_planoBeneficiario, 40 }, { GF_nomeEmpresa, 40 },
	{ GF_nomeProfSolic, 70 }, { GF_croSolic, 15 },
	{ GF_codigoProfExec, 14 }, { GF_nomeProfExec, 70 }, { GF_croExec, 15 },
	{ GF_cnesExec, 7 }, { GF_observacao, 500 },
	{ GF_codigoProcedimento, 10 }, { GF_descricaoProcedimento, 150 },
	{ -1, 0 }
};

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

/* ---- small helpers -------------------------------------------------------- */

/* A pool of strings freed all at once: pointers never move. */
struct pool {
	char	*chunk;		/* current chunk; its first bytes link the previous */
	size_t	 used;
};

static char *
pool_dup(struct pool *p, const char *s)
{
	size_t n = strlen(s) + 1;
	char *c;

	if (p->chunk == NULL || p->used + n > POOL_CHUNK) {
		c = xmalloc(n + sizeof(char *) > POOL_CHUNK ?
		    n + sizeof(char *) : POOL_CHUNK);
		memcpy(c, &p->chunk, sizeof(char *));
		p->chunk = c;
		p->used = sizeof(char *);
	}
	c = p->chunk + p->used;
	memcpy(c, s, n);
	p->used += n;
	return c;
}

static void
pool_free(struct pool *p)
{
	char *next;

	while (p->chunk) {
		memcpy(&next, p->chunk, sizeof(char *));
		free(p->chunk);
		p->chunk = next;
	}
	p->used = 0;
}

static int
in_list(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

static int
utf8_chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return i == n;
}

/* "aaaa-mm-dd" as "dd/mm/aaaa" for messages. */
static const char *
br_date(const char *iso, char out[11])
{
	if (iso == NULL || strlen(iso) != 10)
		return iso ? iso : "";
	memcpy(out, iso + 8, 2);
	out[2] = '/';
	memcpy(out + 3, iso + 5, 2);
	out[5] = '/';
	memcpy(out + 6, iso, 4);
	out[10] = '\0';
	return out;
}

/* Money in hundredths as "R$ 1.234,56". */
static const char *
br_money(int64_t v, char out[40])
{
	char digits[32];
	int n, i, j = 0, neg = v < 0;

	format_int(neg ? -v / 100 : v / 100, digits);
	n = (int)strlen(digits);
	j = snprintf(out, 40, "%sR$ ", neg ? "-" : "");
	for (i = 0; i < n; i++) {
		out[j++] = digits[i];
		if ((n - i - 1) % 3 == 0 && i < n - 1)
			out[j++] = '.';
	}
	snprintf(out + j, (size_t)(40 - j), ",%02d", (int)((neg ? -v : v) % 100));
	return out;
}

/* Texts equal ignoring case, accents and runs of blanks. */
static int
same_text(const char *a, const char *b)
{
	struct buf fa = { 0 }, fb = { 0 }, ca = { 0 }, cb = { 0 };
	const char *p;
	int same;

	text_fold(a, &fa);
	text_fold(b, &fb);
	for (p = fa.data ? fa.data : ""; *p; p++)
		if (*p != ' ' || (ca.len && ca.data[ca.len - 1] != ' '))
			buf_addc(&ca, *p);
	for (p = fb.data ? fb.data : ""; *p; p++)
		if (*p != ' ' || (cb.len && cb.data[cb.len - 1] != ' '))
			buf_addc(&cb, *p);
	while (ca.len && ca.data[ca.len - 1] == ' ')
		ca.data[--ca.len] = '\0';
	while (cb.len && cb.data[cb.len - 1] == ' ')
		cb.data[--cb.len] = '\0';
	same = strcmp(ca.data ? ca.data : "", cb.data ? cb.data : "") == 0;
	buf_release(&fa);
	buf_release(&fb);
	buf_release(&ca);
	buf_release(&cb);
	return same;
}

/* ---- TUSS table ----------------------------------------------------------- */

static int
tuss_cmp(const void *a, const void *b)
{
	const struct tuss_term *x = a, *y = b;
	int c = strcmp(x->codigo, y->codigo);

	return c ? c : strcmp(x->inicio, y->inicio);
}

/* First term of code, or NULL; terms of a code are adjacent. */
static const struct tuss_term *
tuss_find(const struct val_ctx *ctx, const char *code, size_t *count)
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

void
val_ctx_init(struct val_ctx *ctx, struct ws *ws, const char *source)
{
	sqlite3_stmt *st;
	const char *versao;
	time_t now = time(NULL);
	struct tm tm;
	size_t cap = 0;

	memset(ctx, 0, sizeof(*ctx));
	ctx->source = source;
	ctx->registro_ans = cfg_get(&ws->cfg, "operadora", "registro_ans");
	versao = cfg_get(&ws->cfg, "operadora", "versao_tiss");
	if (versao && strcmp(versao, "3.05.00") == 0)
		ctx->v3 = 1;
	else if (versao && strcmp(versao, "4.01.00") != 0)
		fatal(EXIT_CONFIG, "%s: [operadora] versao_tiss: '%s' is not "
		    "4.01.00 or 3.05.00", ws->cfg.path, versao);
	gmtime_r(&now, &tm);
	strftime(ctx->today, sizeof(ctx->today), "%Y-%m-%d", &tm);

	st = db_prepare(ws->db, "SELECT codigo, termo, inicio, fim FROM tuss");
	while (db_step(ws->db, st) == SQLITE_ROW) {
		struct tuss_term *t;

		if (ctx->ntuss == cap) {
			cap = cap ? cap * 2 : 1024;
			ctx->tuss = xrealloc(ctx->tuss, cap * sizeof(*t));
		}
		t = &ctx->tuss[ctx->ntuss++];
		t->codigo = xstrdup(db_col_text(st, 0));
		t->termo = xstrdup(db_col_text(st, 1));
		t->inicio = xstrdup(db_col_text(st, 2));
		t->fim = db_col_text(st, 3) ? xstrdup(db_col_text(st, 3)) : NULL;
	}
	sqlite3_finalize(st);
	if (ctx->ntuss)
		qsort(ctx->tuss, ctx->ntuss, sizeof(*ctx->tuss), tuss_cmp);
	else
		log_info("no TUSS table loaded: procedure codes are not "
		    "checked (see tiss-tuss)");
}

void
val_ctx_release(struct val_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->ntuss; i++) {
		free(ctx->tuss[i].codigo);
		free(ctx->tuss[i].termo);
		free(ctx->tuss[i].inicio);
		free(ctx->tuss[i].fim);
	}
	free(ctx->tuss);
	memset(ctx, 0, sizeof(*ctx));
}

const char *
val_rule_code(int i)
{
	return i >= 0 && i < R_NRULES ? rules[i].code : NULL;
}

const char *
val_rule_text(int i)
{
	return i >= 0 && i < R_NRULES ? rules[i].text : NULL;
}

/* ---- the rules ------------------------------------------------------------ */

struct vproc {
	int	 item;				/* procedimento.item */
	const char *v[GTO_MAXFIELDS];		/* values by gto field, NULL empty */
};

struct vguide {
	long long id;
	const char *v[GTO_MAXFIELDS];
	struct vproc *procs;			/* into the batch's array */
	int	 nprocs;
};

struct issue {
	int	 rule;
	char	 campo[96];
	char	 msg[256];
	char	*valor;				/* in the check's pool, or NULL */
};

/* An empty descricaoProcedimento to fill from the TUSS table. */
struct fill {
	int	 pos;				/* procedure position, from 0 */
	const char *termo;			/* owned by the val_ctx */
};

/* What checking one guide found. */
struct check {
	struct issue *issues;
	int	 n, cap;
	int	 blocking;			/* issues that block billing */
	int64_t	 total;				/* sum of valorProc */
	struct fill *fills;
	int	 nfill, capfill;
	struct pool pool;
};

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
	is->valor = valor ? pool_dup(&c->pool, valor) : NULL;
	c->blocking += rules[rule].blocks;
}

/* The field path of a pendência: "procedimentosExecutados[2].denteFace". */
static const char *
path(char out[96], int pos, int f)
{
	if (pos < 0)
		snprintf(out, 96, "%s", gto_fields[f].name);
	else
		snprintf(out, 96, "procedimentosExecutados[%d].%s", pos + 1,
		    gto_fields[f].name);
	return out;
}

static void
check_lengths(struct check *c, const char *const *v, enum gto_level level,
    int pos)
{
	char campo[96];
	int i, n, f;

	for (i = 0; (f = lengths[i].field) >= 0; i++) {
		if (gto_fields[f].level != level || v[f] == NULL)
			continue;
		if ((n = utf8_chars(v[f])) > lengths[i].max)
			add(c, R_LEN, path(campo, pos, f), v[f], "tem %d "
			    "caracteres; a TISS aceita no máximo %d", n,
			    lengths[i].max);
	}
}

static void
check_proc(const struct val_ctx *ctx, const struct vguide *g, int pos,
    struct check *c)
{
	const struct vproc *p = &g->procs[pos];
	const char *const *v = p->v;
	const char *code = v[GF_codigoProcedimento];
	const char *date = v[GF_dataRealizacao];
	const char *dente = v[GF_codDente], *regiao = v[GF_codRegiao];
	const char *face = v[GF_denteFace];
	const char *descr = v[GF_descricaoProcedimento];
	const char *tabela = v[GF_codigoTabela];
	const struct tuss_term *term = NULL;
	char campo[96], d1[11], d2[11];
	int i, j;
	int64_t x;

	for (i = 0; required_proc[i] >= 0; i++)
		if (v[required_proc[i]] == NULL)
			add(c, R_REQ, path(campo, pos, required_proc[i]), NULL,
			    "campo obrigatório não preenchido");
	check_lengths(c, v, GTO_PROC, pos);

	if (v[GF_sequencialItem]) {
		x = strtoll(v[GF_sequencialItem], NULL, 10);
		if (x < 1 || x > 9999)
			add(c, R_SEQ, path(campo, pos, GF_sequencialItem),
			    v[GF_sequencialItem], "deve ser de 1 a 9999");
		for (j = 0; j < pos; j++)
			if (g->procs[j].v[GF_sequencialItem] &&
			    strcmp(g->procs[j].v[GF_sequencialItem],
			    v[GF_sequencialItem]) == 0) {
				add(c, R_SEQ, path(campo, pos, GF_sequencialItem),
				    v[GF_sequencialItem], "repete o do "
				    "procedimento [%d]; cada item da guia tem "
				    "o seu número", j + 1);
				break;
			}
	}
	if (tabela && !in_list(tabela, tabelas))
		add(c, R_TABELA, path(campo, pos, GF_codigoTabela), tabela, "não é uma "
		    "tabela TISS (18, 19, 20, 22, 90, 98 ou 00); "
		    "procedimentos odontológicos usam 22 (TUSS)");

	/* The TUSS table, when loaded, for TUSS codes (tabela 22). */
	if (code && ctx->ntuss && tabela && strcmp(tabela, "22") == 0) {
		size_t n;
		const struct tuss_term *t = tuss_find(ctx, code, &n);

		if (t == NULL)
			add(c, R_TUSS, path(campo, pos, GF_codigoProcedimento), code,
			    "código não existe na tabela TUSS 22 carregada");
		else if (date) {
			for (i = 0; i < (int)n && term == NULL; i++)
				if (strcmp(t[i].inicio, date) <= 0 &&
				    (t[i].fim == NULL || strcmp(t[i].fim, date) >= 0))
					term = &t[i];
			if (term == NULL)
				add(c, R_VIGENCIA, path(campo, pos, GF_codigoProcedimento),
				    code, "não estava em vigor na TUSS em %s",
				    br_date(date, d1));
		} else
			term = &t[n - 1];
	}
	if (descr == NULL && term != NULL) {
		if (c->nfill == c->capfill) {
			c->capfill = c->capfill ? c->capfill * 2 : 8;
			c->fills = xrealloc(c->fills,
			    (size_t)c->capfill * sizeof(*c->fills));
		}
		c->fills[c->nfill].pos = pos;
		c->fills[c->nfill++].termo = term->termo;
	} else if (descr == NULL)
		add(c, R_REQ, path(campo, pos, GF_descricaoProcedimento), NULL, "campo "
		    "obrigatório não preenchido (carregue a TUSS com "
		    "tiss-tuss para preenchê-lo pelo código)");
	else if (term != NULL && !same_text(descr, term->termo))
		add(c, R_DESCR, path(campo, pos, GF_descricaoProcedimento), descr,
		    "difere do termo da TUSS para %s: '%s'", code, term->termo);

	if (dente && regiao)
		add(c, R_DENTE_REGIAO, path(campo, pos, GF_codRegiao), regiao, "informe "
		    "o dente (%s) ou a região, não os dois", dente);
	if (dente && !in_list(dente, dentes))
		add(c, R_DENTE, path(campo, pos, GF_codDente), dente, "não é um dente da "
		    "tabela FDI (11-18, 21-28, 31-38, 41-48, 51-55, 61-65, "
		    "71-75, 81-85 e supranumerários)");
	if (regiao && !in_list(regiao, regioes))
		add(c, R_REGIAO, path(campo, pos, GF_codRegiao), regiao, "não é uma "
		    "região da boca da tabela TISS (ex.: AS, AI, S1, LG)");
	if (face) {
		int bad = strlen(face) > 5, rep = 0;

		for (i = 0; face[i]; i++) {
			if (strchr("OLMVDIP", face[i]) == NULL)
				bad = 1;
			for (j = 0; j < i; j++)
				if (face[j] == face[i])
					rep = 1;
		}
		if (dente == NULL)
			add(c, R_FACE_SEM_DENTE, path(campo, pos, GF_denteFace), face,
			    "face informada sem o dente (codDente)");
		if (bad)
			add(c, R_FACE, path(campo, pos, GF_denteFace), face, "use de 1 a 5 "
			    "letras de O, L, M, V, D, I, P (ex.: MOD)");
		else if (rep)
			add(c, R_FACE_REP, path(campo, pos, GF_denteFace), face,
			    "cada face aparece uma vez só");
	}
	if (v[GF_qtdProc]) {
		x = strtoll(v[GF_qtdProc], NULL, 10);
		if (x < 1 || x > 99)
			add(c, R_QTD, path(campo, pos, GF_qtdProc), v[GF_qtdProc],
			    "a quantidade deve ser de 1 a 99");
	}
	if (v[GF_valorProc]) {
		x = strtoll(v[GF_valorProc], NULL, 10);
		c->total += x;
		if (x <= 0 || x > 99999999)
			add(c, R_VALOR, path(campo, pos, GF_valorProc), v[GF_valorProc],
			    "o valor deve ser maior que zero e no máximo "
			    "R$ 999.999,99 (valor em centavos)");
	}
	for (i = 0; i < 2; i++) {
		int f = i ? GF_qtdUS : GF_valorFranquia;

		if (v[f]) {
			x = strtoll(v[f], NULL, 10);
			if (x < 0 || x > 99999999)
				add(c, R_VALOR, path(campo, pos, f), v[f],
				    "deve ser de 0 a 999.999,99 (em centésimos)");
		}
	}
	if (date) {
		const char *aut = g->v[GF_dataAutorizacao];
		const char *val = g->v[GF_validadeSenha];

		if (strcmp(date, ctx->today) > 0)
			add(c, R_FUTURO, path(campo, pos, GF_dataRealizacao), date,
			    "%s está no futuro", br_date(date, d1));
		if (aut && strcmp(date, aut) < 0)
			add(c, R_ANTES_AUT, path(campo, pos, GF_dataRealizacao), date,
			    "%s é anterior à autorização (%s)",
			    br_date(date, d1), br_date(aut, d2));
		if (val && strcmp(date, val) > 0)
			add(c, R_APOS_VALID, path(campo, pos, GF_dataRealizacao), date,
			    "%s é posterior à validade da senha (%s)",
			    br_date(date, d1), br_date(val, d2));
	}
	/* The same procedure, tooth, face and day twice: a classic glosa. */
	for (j = 0; code && j < pos; j++) {
		const char *const *w = g->procs[j].v;
		int f, same = 1;
		static const int keys[] = {
			GF_codigoProcedimento, GF_codDente, GF_denteFace,
			GF_dataRealizacao, -1
		};

		for (i = 0; keys[i] >= 0 && same; i++) {
			f = keys[i];
			same = (v[f] == NULL) == (w[f] == NULL) &&
			    (v[f] == NULL || strcmp(v[f], w[f]) == 0);
		}
		if (same) {
			add(c, R_DUP, path(campo, pos, GF_codigoProcedimento), code,
			    "mesmo procedimento, dente, face e data do "
			    "procedimento [%d]; confira se não é duplicado",
			    j + 1);
			break;
		}
	}
}

static void
check_guide(const struct val_ctx *ctx, const struct vguide *g, struct check *c)
{
	const char *const *v = g->v;
	char m1[40], m2[40], campo[96];
	int i;

	if (ctx->registro_ans == NULL)
		add(c, R_ANS, "registroANS", NULL, "registro ANS da operadora "
		    "não configurado: defina [operadora] registro_ans em "
		    "tiss.conf");
	else if (!all_digits(ctx->registro_ans, 6))
		add(c, R_ANS, "registroANS", ctx->registro_ans, "deve ter 6 "
		    "dígitos: corrija [operadora] registro_ans em tiss.conf");
	for (i = 0; required_guide[i] >= 0; i++)
		if (v[required_guide[i]] == NULL)
			add(c, R_REQ, path(campo, -1, required_guide[i]), NULL,
			    "campo obrigatório não preenchido");
	for (i = 0; ctx->v3 && required_guide_v3[i] >= 0; i++)
		if (v[required_guide_v3[i]] == NULL)
			add(c, R_REQ, path(campo, -1, required_guide_v3[i]),
			    NULL, "campo obrigatório na TISS 3.05.00 não "
			    "preenchido");
	check_lengths(c, v, GTO_GUIA, -1);
	for (i = 0; i < 2; i++) {
		int f = i ? GF_ufSolic : GF_ufExec;
		const char *uf = v[f], *code;

		code = uf ? gto_uf_code(uf) : NULL;
		if (uf && (code == NULL || strcmp(code, uf) != 0))
			add(c, R_UF, path(campo, -1, f), uf, "UF desconhecida: "
			    "use a sigla (ex.: SP) ou o código IBGE (ex.: 35)");
	}
	for (i = 0; i < 2; i++) {
		int f = i ? GF_cbosSolic : GF_cbosExec2;

		if (v[f] && !in_list(v[f], cbos_dentista))
			add(c, R_CBO, path(campo, -1, f), v[f], "não é um CBO "
			    "de cirurgião-dentista (223204 a 223293; clínico "
			    "geral é 223208)");
	}
	if (v[GF_tipoAtendimento] &&
	    (strlen(v[GF_tipoAtendimento]) != 1 ||
	    v[GF_tipoAtendimento][0] < '1' || v[GF_tipoAtendimento][0] > '5'))
		add(c, R_TIPOATEND, "tipoAtendimento", v[GF_tipoAtendimento],
		    "use 1 tratamento, 2 exame radiológico, 3 ortodontia, "
		    "4 urgência/emergência ou 5 auditoria");
	if (v[GF_tipoFaturamento] && strcmp(v[GF_tipoFaturamento], "1") &&
	    strcmp(v[GF_tipoFaturamento], "4"))
		add(c, R_TIPOFAT, "tipoFaturamento", v[GF_tipoFaturamento],
		    "use 1 (parcial) ou 4 (total)");
	if (g->nprocs == 0)
		add(c, R_NOPROC, "procedimentosExecutados", NULL, "a guia não "
		    "tem nenhum procedimento executado");
	for (i = 0; i < g->nprocs; i++)
		check_proc(ctx, g, i, c);
	if (v[GF_valorTotalProc] &&
	    strtoll(v[GF_valorTotalProc], NULL, 10) != c->total)
		add(c, R_TOTAL, "valorTotalProc", v[GF_valorTotalProc],
		    "o total informado (%s) difere da soma dos procedimentos "
		    "(%s); vale a soma",
		    br_money(strtoll(v[GF_valorTotalProc], NULL, 10), m1),
		    br_money(c->total, m2));
}

/* ---- loading and storing ---------------------------------------------- */

struct batch {
	struct vguide *guides;
	int	 ng;
	struct vproc *procs;
	int	 np, capp;
	struct pool pool;
};

static void
column_values(sqlite3_stmt *st, int col, enum gto_level level, const char **v,
    struct pool *pool)
{
	int f;

	for (f = 0; f < gto_nfields; f++) {
		const char *s;

		if (gto_fields[f].level != level)
			continue;
		s = db_col_text(st, col++);
		v[f] = s ? pool_dup(pool, s) : NULL;
	}
}

static void
build_selects(struct buf *gsql, struct buf *psql, long long id)
{
	int f;

	buf_adds(gsql, "SELECT id");
	buf_adds(psql, "SELECT guia_id, item");
	for (f = 0; f < gto_nfields; f++)
		buf_addf(gto_fields[f].level == GTO_GUIA ? gsql : psql, ", %s",
		    gto_fields[f].column);
	if (id)
		buf_adds(gsql, " FROM guia WHERE id = ?1 AND ?2 = ?2 AND "
		    "(status = 'incompleto' OR status = 'completo')");
	else
		buf_addf(gsql, " FROM guia WHERE id > ?1 AND (status = "
		    "'incompleto' OR status = 'completo') ORDER BY id LIMIT ?2");
	buf_adds(psql, " FROM procedimento WHERE guia_id BETWEEN ?1 AND ?2 "
	    "ORDER BY guia_id, item");
}

/* Load the next batch of guides after *last; returns how many. */
static int
load_batch(sqlite3 *db, sqlite3_stmt *gst, sqlite3_stmt *pst,
    long long *last, long long id, struct batch *b)
{
	int k = 0;

	pool_free(&b->pool);
	b->ng = b->np = 0;
	sqlite3_reset(gst);
	sqlite3_bind_int64(gst, 1, id ? id : *last);
	sqlite3_bind_int(gst, 2, BATCH);
	while (db_step(db, gst) == SQLITE_ROW) {
		struct vguide *g = &b->guides[b->ng++];

		memset(g, 0, sizeof(*g));
		g->id = sqlite3_column_int64(gst, 0);
		column_values(gst, 1, GTO_GUIA, g->v, &b->pool);
	}
	if (b->ng == 0)
		return 0;
	*last = b->guides[b->ng - 1].id;
	sqlite3_reset(pst);
	sqlite3_bind_int64(pst, 1, b->guides[0].id);
	sqlite3_bind_int64(pst, 2, *last);
	while (db_step(db, pst) == SQLITE_ROW) {
		long long gid = sqlite3_column_int64(pst, 0);
		struct vproc *p;

		while (k < b->ng && b->guides[k].id < gid)
			k++;
		if (k == b->ng || b->guides[k].id != gid)
			continue;	/* a guide of the range that is in a lote */
		if (b->np == b->capp) {
			b->capp = b->capp ? b->capp * 2 : 8192;
			b->procs = xrealloc(b->procs,
			    (size_t)b->capp * sizeof(*p));
		}
		p = &b->procs[b->np++];
		memset(p, 0, sizeof(*p));
		p->item = sqlite3_column_int(pst, 1);
		column_values(pst, 2, GTO_PROC, p->v, &b->pool);
		b->guides[k].nprocs++;
	}
	/* The procs array is final now: point each guide at its run. */
	for (k = 0, b->np = 0; k < b->ng; k++) {
		b->guides[k].procs = b->procs + b->np;
		b->np += b->guides[k].nprocs;
	}
	return b->ng;
}

struct writer {
	sqlite3	*db;
	sqlite3_stmt *del, *ins, *upd, *descr, *audit;
	char	 stamp[32];
};

static void
store(struct writer *w, const struct val_ctx *ctx, const struct vguide *g,
    const struct check *c, struct val_stats *st)
{
	const char *status = c->blocking ? "incompleto" : "completo";
	int i;

	sqlite3_reset(w->del);
	sqlite3_bind_int64(w->del, 1, g->id);
	db_step(w->db, w->del);
	for (i = 0; i < c->n; i++) {
		const struct issue *is = &c->issues[i];

		sqlite3_reset(w->ins);
		sqlite3_bind_int64(w->ins, 1, g->id);
		sqlite3_bind_int(w->ins, 2, i + 1);
		sqlite3_bind_text(w->ins, 3, is->campo, -1, SQLITE_STATIC);
		sqlite3_bind_text(w->ins, 4, rules[is->rule].code, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(w->ins, 5, rules[is->rule].blocks ? "erro" :
		    "aviso", -1, SQLITE_STATIC);
		sqlite3_bind_text(w->ins, 6, is->msg, -1, SQLITE_STATIC);
		db_bind_text(w->ins, 7, is->valor);
		db_step(w->db, w->ins);
		st->rule_count[is->rule]++;
		if (rules[is->rule].blocks)
			st->errors++;
		else
			st->warnings++;
	}
	for (i = 0; i < c->nfill; i++) {
		const struct fill *fl = &c->fills[i];
		char campo[96];

		sqlite3_reset(w->descr);
		sqlite3_bind_text(w->descr, 1, fl->termo, -1, SQLITE_STATIC);
		sqlite3_bind_int64(w->descr, 2, g->id);
		sqlite3_bind_int(w->descr, 3, g->procs[fl->pos].item);
		db_step(w->db, w->descr);
		path(campo, fl->pos, GF_descricaoProcedimento);
		sqlite3_reset(w->audit);
		sqlite3_bind_text(w->audit, 1, w->stamp, -1, SQLITE_STATIC);
		sqlite3_bind_int64(w->audit, 2, g->id);
		sqlite3_bind_text(w->audit, 3, campo, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(w->audit, 4, fl->termo, -1, SQLITE_STATIC);
		sqlite3_bind_text(w->audit, 5, ctx->source, -1, SQLITE_STATIC);
		db_step(w->db, w->audit);
	}
	sqlite3_reset(w->upd);
	sqlite3_bind_text(w->upd, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->upd, 2, c->total);
	sqlite3_bind_text(w->upd, 3, w->stamp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->upd, 4, g->id);
	db_step(w->db, w->upd);
	st->checked++;
	st->complete += !c->blocking;
}

void
val_guides(struct ws *ws, const struct val_ctx *ctx, long long id,
    struct val_stats *st)
{
	struct buf gsql = { 0 }, psql = { 0 };
	struct batch b;
	struct writer w;
	struct check c;
	sqlite3_stmt *gst, *pst;
	long long last = 0;
	int i;

	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	b.guides = xcalloc(BATCH, sizeof(*b.guides));
	build_selects(&gsql, &psql, id);
	gst = db_prepare(ws->db, gsql.data);
	pst = db_prepare(ws->db, psql.data);
	w.db = ws->db;
	time_iso(w.stamp);
	w.del = db_prepare(ws->db, "DELETE FROM pendencia WHERE guia_id = ?");
	w.ins = db_prepare(ws->db, "INSERT INTO pendencia (guia_id, n, campo, "
	    "regra, severidade, mensagem, valor) VALUES (?,?,?,?,?,?,?)");
	w.upd = db_prepare(ws->db, "UPDATE guia SET status = ?, "
	    "valorTotalProc = ?, validadoEm = ? WHERE id = ?");
	w.descr = db_prepare(ws->db, "UPDATE procedimento SET "
	    "descricaoProcedimento = ? WHERE guia_id = ? AND item = ?");
	w.audit = db_prepare(ws->db, "INSERT INTO auditoria (quando, guia_id, "
	    "campo, antes, depois, fonte) VALUES (?,?,?,NULL,?,?)");
	for (;;) {
		/* Read and write one batch in one transaction: consistent with
		 * a concurrent tiss-guia edit, and restartable. */
		db_exec(ws->db, "BEGIN IMMEDIATE");
		if (load_batch(ws->db, gst, pst, &last, id, &b) == 0) {
			db_exec(ws->db, "COMMIT");
			break;
		}
		for (i = 0; i < b.ng; i++) {
			pool_free(&c.pool);
			c.n = c.blocking = c.nfill = 0;
			c.total = 0;
			check_guide(ctx, &b.guides[i], &c);
			store(&w, ctx, &b.guides[i], &c, st);
		}
		db_exec(ws->db, "COMMIT");
		if (id)
			break;
	}
	sqlite3_finalize(gst);
	sqlite3_finalize(pst);
	sqlite3_finalize(w.del);
	sqlite3_finalize(w.ins);
	sqlite3_finalize(w.upd);
	sqlite3_finalize(w.descr);
	sqlite3_finalize(w.audit);
	pool_free(&b.pool);
	pool_free(&c.pool);
	free(b.guides);
	free(b.procs);
	free(c.issues);
	free(c.fills);
	buf_release(&gsql);
	buf_release(&psql);
}
