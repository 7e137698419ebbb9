#include <stdlib.h>
#include <string.h>

#include "gto.h"
#include "text.h"
#include "util.h"

const struct gto_field gto_fields[] = {
	{ "codigoPrestadorNaOperadora", "codigoPrestadorNaOperadora", GTO_GUIA, GTO_TEXT },
	{ "numeroGuiaPrestador", "numeroGuiaPrestador", GTO_GUIA, GTO_TEXT },
	{ "numeroGuiaPrincipal", "numeroGuiaPrincipal", GTO_GUIA, GTO_TEXT },
	{ "numeroGuiaOperadora", "numeroGuiaOperadora", GTO_GUIA, GTO_TEXT },
	{ "senhaAutorizacao", "senhaAutorizacao", GTO_GUIA, GTO_TEXT },
	{ "dataAutorizacao", "dataAutorizacao", GTO_GUIA, GTO_DATE },
	{ "validadeSenha", "validadeSenha", GTO_GUIA, GTO_DATE },
	{ "dataSolicitacao", "dataSolicitacao", GTO_GUIA, GTO_DATE },
	{ "numeroCarteira", "numeroCarteira", GTO_GUIA, GTO_TEXT },
	{ "atendimentoRN", "atendimentoRN", GTO_GUIA, GTO_SIMNAO },
	{ "nomeBeneficiario", "nomeBeneficiario", GTO_GUIA, GTO_TEXT },
	{ "planoBeneficiario", "planoBeneficiario", GTO_GUIA, GTO_TEXT },
	{ "nomeEmpresa", "nomeEmpresa", GTO_GUIA, GTO_TEXT },
	{ "nomeProfSolic", "nomeProfSolic", GTO_GUIA, GTO_TEXT },
	{ "croSolic", "croSolic", GTO_GUIA, GTO_TEXT },
	{ "ufSolic", "ufSolic", GTO_GUIA, GTO_TEXT },
	{ "cbosSolic", "cbosSolic", GTO_GUIA, GTO_TEXT },
	{ "codigoProfExec", "codigoProfExec", GTO_GUIA, GTO_TEXT },
	{ "nomeProfExec", "nomeProfExec", GTO_GUIA, GTO_TEXT },
	{ "croExec", "croExec", GTO_GUIA, GTO_TEXT },
	{ "ufExec", "ufExec", GTO_GUIA, GTO_TEXT },
	{ "cnesExec", "cnesExec", GTO_GUIA, GTO_TEXT },
	{ "cbosExec2", "cbosExec2", GTO_GUIA, GTO_TEXT },
	{ "tipoAtendimento", "tipoAtendimento", GTO_GUIA, GTO_TEXT },
	{ "tipoFaturamento", "tipoFaturamento", GTO_GUIA, GTO_TEXT },
	{ "dataTerminoTrat", "dataTerminoTrat", GTO_GUIA, GTO_DATE },
	{ "observacao", "observacao", GTO_GUIA, GTO_TEXT },
	/* The total a file states; kept to be checked, never trusted. */
	{ "valorTotalProc", "valorTotalInformado", GTO_GUIA, GTO_MONEY },
	{ "sequencialItem", "sequencialItem", GTO_PROC, GTO_COUNT },
	{ "codigoTabela", "codigoTabela", GTO_PROC, GTO_TEXT },
	{ "codigoProcedimento", "codigoProcedimento", GTO_PROC, GTO_TEXT },
	{ "descricaoProcedimento", "descricaoProcedimento", GTO_PROC, GTO_TEXT },
	{ "codDente", "codDente", GTO_PROC, GTO_TEXT },
	{ "codRegiao", "codRegiao", GTO_PROC, GTO_TEXT },
	{ "denteFace", "denteFace", GTO_PROC, GTO_TEXT },
	{ "qtdProc", "qtdProc", GTO_PROC, GTO_COUNT },
	{ "qtdUS", "qtdUS", GTO_PROC, GTO_DEC2 },
	{ "valorProc", "valorProc", GTO_PROC, GTO_MONEY },
	{ "valorFranquia", "valorFranquia", GTO_PROC, GTO_MONEY },
	{ "autorizado", "autorizado", GTO_PROC, GTO_BOOL },
	{ "dataRealizacao", "dataRealizacao", GTO_PROC, GTO_DATE },
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
