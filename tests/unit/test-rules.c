/*
 * Unit tests of stages/common/rules.c, on guides built in memory: V110
 * on what the entry stages may let through (a byte that is not UTF-8, a
 * control character, U+0100, an emoji) and not on ISO-8859-1 text; the
 * codes stay where docs/validation.md puts them; a guide with no
 * procedure (procs NULL) is checked without touching them.
 */
#include <stdlib.h>
#include <string.h>

#include "common/gto.h"
#include "common/rules.h"
#include "common/validate.h"
#include "tap.h"

/* A guide every rule passes (no TUSS table loaded). */
static void
base(struct vguide *g, struct vproc *p)
{
	static const struct { int f; const char *v; } gv[] = {
		{ GF_codigoPrestadorNaOperadora, "900" },
		{ GF_numeroGuiaPrestador, "G1" }, { GF_numeroCarteira, "1" },
		{ GF_atendimentoRN, "N" }, { GF_planoBeneficiario, "Plano" },
		{ GF_codigoProfExec, "1" }, { GF_croExec, "123" },
		{ GF_ufExec, "35" }, { GF_cnesExec, "1234567" },
		{ GF_cbosExec2, "223208" }, { GF_tipoAtendimento, "1" },
		{ GF_tipoFaturamento, "4" }, { -1, NULL }
	}, pv[] = {
		{ GF_sequencialItem, "1" }, { GF_codigoTabela, "22" },
		{ GF_codigoProcedimento, "85100099" },
		{ GF_descricaoProcedimento, "Restauração" },
		{ GF_codDente, "36" }, { GF_denteFace, "O" },
		{ GF_qtdProc, "1" }, { GF_valorProc, "8000" },
		{ GF_autorizado, "1" }, { GF_dataRealizacao, "2026-03-10" },
		{ -1, NULL }
	};
	int i;

	memset(g, 0, sizeof(*g));
	memset(p, 0, sizeof(*p));
	for (i = 0; gv[i].f >= 0; i++)
		g->v[gv[i].f] = gv[i].v;
	for (i = 0; pv[i].f >= 0; i++)
		p->v[pv[i].f] = pv[i].v;
	p->item = 1;
	g->id = 1;
	g->procs = p;
	g->nprocs = 1;
}

/* The codes c found, comma-separated, into out. */
static const char *
codes(const struct check *c, char out[256])
{
	size_t n = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < c->n && n < 200; i++)
		n += (size_t)snprintf(out + n, 256 - n, "%s%s", i ? "," : "",
		    rules_code(c->issues[i].rule));
	return out;
}

/* The pendência of rule code in c: its field, message and value. */
static const struct issue *
find(const struct check *c, const char *code)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (strcmp(rules_code(c->issues[i].rule), code) == 0)
			return &c->issues[i];
	return NULL;
}

static void
charset(const struct rules_ctx *ctx)
{
	struct vguide g;
	struct vproc p;
	struct check c = { 0 };
	const struct issue *is;
	char buf[256];

	base(&g, &p);
	g.v[GF_nomeBeneficiario] = "Jo\xE3o";	/* Latin-1, not UTF-8 */
	rules_check(ctx, &g, &c);
	is = find(&c, "V110");
	ok(is != NULL && c.blocking == 1, "a byte that is not UTF-8: V110");
	ok_str(is ? rules_value(&c, is) : NULL, "Jo<0xE3>o",
	    "... shown escaped");
	ok_str(is ? is->msg : NULL, "caractere 0xE3 na posição 3: a TISS "
	    "(ISO-8859-1) não o aceita; apague-o ou digite o texto de novo",
	    "... named in the message");
	ok_str(is ? is->campo : NULL, "nomeBeneficiario", "... its field");

	base(&g, &p);
	p.v[GF_descricaoProcedimento] = "a\x01" "b\tc";
	rules_check(ctx, &g, &c);
	is = find(&c, "V110");
	ok_str(is ? rules_value(&c, is) : NULL, "a<U+0001>b\tc",
	    "a control character, not a tab: V110");
	ok_str(is ? is->campo : NULL,
	    "procedimentosExecutados[1].descricaoProcedimento",
	    "... in a procedure, named by its path");

	base(&g, &p);
	g.v[GF_observacao] = "\xC4\x80 \xF0\x9F\x98\x80";	/* U+0100, U+1F600 */
	rules_check(ctx, &g, &c);
	is = find(&c, "V110");
	ok_str(is ? rules_value(&c, is) : NULL, "<U+0100> <U+1F600>",
	    "above U+00FF: each character escaped once");
	ok(c.n == 1, "one pendência per field");

	base(&g, &p);
	g.v[GF_nomeBeneficiario] = "Jo\xC3\xA3o \xC3\x9Ar\xC3\xB8 \xC2\xAA\xC2\xBA";
	g.v[GF_observacao] = "linha 1\r\nlinha 2";
	rules_check(ctx, &g, &c);
	ok_str(codes(&c, buf), "", "ISO-8859-1 text, CR and LF pass");
	rules_check_release(&c);
}

/*
 * The validation fingerprint changes with every input of a verdict in
 * the rules' context, and the day's with the day.
 */
static void
fingerprint(const struct rules_ctx *base)
{
	struct tuss_term t[2] = {
		{ "81000065", "Consulta", "2010-01-01", NULL },
		{ "85100099", "Restauração", "2010-06-09", NULL },
	};
	struct val_ctx a, b;

	memset(&a, 0, sizeof(a));
	a.rules = *base;
	a.rules.tuss = t;
	a.rules.ntuss = 2;
	val_ctx_fingerprint(&a);
	b = a;
	val_ctx_fingerprint(&b);
	ok(a.fingerprint == b.fingerprint && a.fingerprint_day ==
	    b.fingerprint_day && a.fingerprint != a.fingerprint_day,
	    "the same context, the same fingerprints; the day's apart");
#define DIFFERS(what, change) do { \
	b = a; \
	change; \
	val_ctx_fingerprint(&b); \
	ok(b.fingerprint != a.fingerprint, "another " what ", another " \
	    "fingerprint"); \
} while (0)
	DIFFERS("registro_ans", b.rules.registro_ans = "654321");
	DIFFERS("(unset) registro_ans", b.rules.registro_ans = NULL);
	DIFFERS("versao_tiss", b.rules.ver = tissver_find("3.05.00"));
	DIFFERS("carteira_digitos", b.rules.carteira_digitos = 17);
	DIFFERS("TUSS table (one term fewer)", b.rules.ntuss = 1);
	t[1].termo = "Restauracao";
	DIFFERS("TUSS term", (void)0);
	t[1].termo = "Restauração";
	t[1].fim = "2020-01-01";
	DIFFERS("TUSS end of validity", (void)0);
	t[1].fim = NULL;
#undef DIFFERS
	b = a;
	snprintf(b.rules.today, sizeof(b.rules.today), "%s", "2026-04-02");
	val_ctx_fingerprint(&b);
	ok(b.fingerprint == a.fingerprint && b.fingerprint_day !=
	    a.fingerprint_day, "another day: the day's fingerprint only");
}

int
main(void)
{
	struct rules_ctx ctx = { "123456", 0, NULL, 0, "2026-04-01", 0 };
	struct vguide g;
	struct vproc p;
	struct check c = { 0 };
	char buf[256];
	int i;

	base(&g, &p);
	rules_check(&ctx, &g, &c);
	ok_str(codes(&c, buf), "", "the base guide passes every rule");
	ok(c.total == 8000, "the total is the sum of valorProc");

	g.procs = NULL;
	g.nprocs = 0;
	rules_check(&ctx, &g, &c);
	ok_str(codes(&c, buf), "V108", "no procedure: V108 alone");
	ok(c.total == 0, "... and a total of 0");

	base(&g, &p);
	g.v[GF_numeroCarteira] = NULL;
	g.v[GF_ufExec] = "99";
	p.v[GF_denteFace] = "OO";
	p.v[GF_dataRealizacao] = "2026-05-01";
	rules_check(&ctx, &g, &c);
	ok_str(codes(&c, buf), "V102,V104,V209,V213",
	    "pendências in the order of the tables");
	ok(c.dated, "V213 read today's date: the verdict is the day's");
	base(&g, &p);
	p.v[GF_dataRealizacao] = "2026-04-01";
	rules_check(&ctx, &g, &c);
	ok(c.n == 0 && !c.dated, "a date up to today: not the day's");

	ok(rules_count() <= 64, "every rule fits val_stats.rule_count");
	for (i = 0; i < rules_count(); i++)
		if (rules_code(i) == NULL || rules_text(i) == NULL)
			break;
	ok(i == rules_count() && rules_code(i) == NULL,
	    "every rule has a code and a text");
	ok_str(rules_code(0), "V101", "V101 comes first");
	charset(&ctx);
	fingerprint(&ctx);
	rules_check_release(&c);
	return tap_done();
}
