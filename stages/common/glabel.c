#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glabel.h"
#include "gto.h"
#include "text.h"
#include "util.h"

/*
 * The labels of the GTO form, the first of each field the one written
 * (docs/csv-format.md, "Rótulos da guia"), then the forms clerks write.
 */
static const struct label {
	int	 f;
	const char *text;
} labels[] = {
	{ GF_codigoPrestadorNaOperadora, "Código na Operadora" },
	{ GF_codigoPrestadorNaOperadora, "Código do Prestador na Operadora" },
	{ GF_codigoPrestadorNaOperadora, "Código do Contratado na Operadora" },
	{ GF_codigoPrestadorNaOperadora, "Prestador" },
	{ GF_numeroGuiaPrestador, "Nº Guia no Prestador" },
	{ GF_numeroGuiaPrestador, "Número da Guia" },
	{ GF_numeroGuiaPrincipal, "Nº Guia Principal" },
	{ GF_numeroGuiaOperadora, "Número da Guia Atribuído pela Operadora" },
	{ GF_numeroGuiaOperadora, "Nº Guia na Operadora" },
	{ GF_senhaAutorizacao, "Senha" },
	{ GF_dataAutorizacao, "Data da Autorização" },
	{ GF_validadeSenha, "Data de Validade da Senha" },
	{ GF_validadeSenha, "Validade da Senha" },
	{ GF_dataSolicitacao, "Data da Solicitação" },
	{ GF_numeroCarteira, "Número da Carteira" },
	{ GF_numeroCarteira, "Carteirinha" },
	{ GF_atendimentoRN, "Atendimento a RN" },
	{ GF_nomeBeneficiario, "Nome do Beneficiário" },
	{ GF_nomeBeneficiario, "Nome" },
	{ GF_nomeBeneficiario, "Beneficiário" },
	{ GF_planoBeneficiario, "Plano" },
	{ GF_nomeEmpresa, "Empresa" },
	{ GF_nomeProfSolic, "Nome do Profissional Solicitante" },
	{ GF_croSolic, "Número no CRO do Solicitante" },
	{ GF_ufSolic, "UF do Solicitante" },
	{ GF_cbosSolic, "Código CBO do Solicitante" },
	{ GF_codigoProfExec, "Código do Profissional Executante" },
	{ GF_codigoProfExec, "Código do Contratado Executante" },
	/* The form's "Nome do Contratado Executante" (nomeProfExec comes
	 * before croExec, ufExec, cnesExec in the schema's contratado block;
	 * the profissional executante's is nomeProfExec2, not kept here). */
	{ GF_nomeProfExec, "Nome do Contratado Executante" },
	{ GF_nomeProfExec, "Nome do Profissional Executante" },
	{ GF_croExec, "Número no CRO" },
	{ GF_croExec, "Número no CRO do Executante" },
	{ GF_ufExec, "UF" },
	{ GF_ufExec, "UF do Executante" },
	{ GF_cnesExec, "Código CNES" },
	{ GF_cbosExec2, "Código CBO" },
	{ GF_cbosExec2, "Código CBO do Executante" },
	{ GF_tipoAtendimento, "Tipo de Atendimento" },
	{ GF_tipoFaturamento, "Tipo de Faturamento" },
	{ GF_dataTerminoTrat, "Data do Término do Tratamento" },
	{ GF_dataTerminoTrat, "Término do Tratamento" },
	{ GF_observacao, "Observação / Justificativa" },
	{ GF_observacao, "Observação" },
	{ GF_valorTotalProc, "Valor Total R$" },
	{ GF_sequencialItem, "Item" },
	{ GF_sequencialItem, "Sequencial" },
	{ GF_codigoTabela, "Tabela" },
	{ GF_codigoTabela, "Código da Tabela" },
	{ GF_codigoProcedimento, "Código do Procedimento" },
	{ GF_descricaoProcedimento, "Descrição" },
	{ GF_descricaoProcedimento, "Descrição do Procedimento" },
	{ GF_codDente, "Dente" },
	{ GF_codRegiao, "Região" },
	{ GF_denteFace, "Face" },
	{ GF_qtdProc, "Qtde." },
	{ GF_qtdUS, "Qtde. US" },
	{ GF_valorProc, "Valor R$" },
	{ GF_valorFranquia, "Franquia R$" },
	{ GF_valorFranquia, "Valor Franquia R$" },
	{ GF_autorizado, "Aut." },
	{ GF_dataRealizacao, "Data de Realização" },
	{ GLABEL_DR, "Dente/Região" },
	{ GLABEL_KEY, "Chave" },
	{ GLABEL_PEND, "Pendências" },
	{ GLABEL_IGNORE, "Registro ANS" },
};

#define NLABELS	(sizeof(labels) / sizeof(labels[0]))

/* Words left out when labels are compared, and short forms spelt out. */
static const char *const noise[] = {
	"a", "o", "e", "da", "de", "do", "das", "dos", "na", "no", "em",
	"pela", "pelo", "n", "nr", "nro", "num", "numero", "cod", "codigo",
	"r", NULL
};
static const char *const shortforms[][2] = {
	{ "qtde", "quantidade" }, { "qtd", "quantidade" },
	{ "quant", "quantidade" }, { "aut", "autorizado" },
	{ "obs", "observacao" }, { "descr", "descricao" },
	{ "dt", "data" }, { NULL, NULL }
};

/* One folded word w (n bytes) appended to out, or nothing if noise. */
static void
add_word(const char *w, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; noise[i]; i++)
		if (strlen(noise[i]) == n && memcmp(noise[i], w, n) == 0)
			return;
	for (i = 0; shortforms[i][0]; i++)
		if (strlen(shortforms[i][0]) == n &&
		    memcmp(shortforms[i][0], w, n) == 0) {
			w = shortforms[i][1];
			n = strlen(w);
			break;
		}
	if (out->len)
		buf_addc(out, ' ');
	buf_add(out, w, n);
}

/* A label as compared: folded words, no field number, no noise. */
static void
label_key(const char *s, struct buf *out)
{
	struct buf f = { 0 };
	const char *p, *w;
	int first = 1;

	text_fold(s, &f);
	buf_addc(&f, '\0');
	buf_reset(out);
	for (p = f.data; *p; ) {
		if (!isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		for (w = p; isalnum((unsigned char)*p); p++)
			;
		/* "10 - Número da Carteira": the field number goes. */
		if (first && strspn(w, "0123456789") == (size_t)(p - w) &&
		    *p != '\0')
			;
		else
			add_word(w, (size_t)(p - w), out);
		first = 0;
	}
	buf_addc(out, '\0');
	buf_release(&f);
}

int
glabel_column(const char *header)
{
	static struct buf keys[NLABELS];	/* the labels' keys, made once */
	struct buf want = { 0 };
	size_t i;
	int f;

	if ((f = gto_field_find(header)) >= 0)
		return f;
	label_key(header, &want);
	f = GLABEL_UNKNOWN;
	for (i = 0; i < NLABELS && f == GLABEL_UNKNOWN; i++) {
		if (keys[i].len == 0)
			label_key(labels[i].text, &keys[i]);
		if (want.len > 1 && strcmp(want.data, keys[i].data) == 0)
			f = labels[i].f;
	}
	buf_release(&want);
	return f;
}

const char *
glabel_text(int f)
{
	size_t i;

	for (i = 0; i < NLABELS; i++)
		if (labels[i].f == f)
			return labels[i].text;
	return f >= 0 ? gto_fields[f].name : "?";
}
