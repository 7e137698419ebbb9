/*
 * gen-csv: write a CSV of manual guides for benchmarks and tests.
 *
 *   gen-csv ROWS [PRESTADORES] [SEED] > file.csv
 *
 * One row per procedure, 1 to 4 procedures per guide (2.5 on average,
 * so 500,000 rows make about 200,000 guides), guides spread over the
 * prestadores, every field filled the way a clinic system writes them:
 * ';' separator, decimal comma, dd/mm/aaaa dates, UTF-8 accents.
 * Deterministic for a given seed.
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long state;

static unsigned
rnd(unsigned n)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((state >> 33) % n);
}

int
main(int argc, char *argv[])
{
	static const char *procs[][2] = {
		{ "81000065", "Consulta odontológica inicial" },
		{ "85100099", "Restauração de amálgama  - 1 face" },
		{ "84000198", "Profilaxia: polimento coronário" },
		{ "85200166", "Tratamento endodôntico unirradicular" },
		{ "82000875", "Exodontia simples de permanente" },
		{ "81000421", "Radiografia periapical" },
	};
	static const char *names[] = {
		"Maria da Conceição Souza", "José Antônio Pereira",
		"Ana Beatriz Lima", "João Guimarães", "Cátia Rocha",
	};
	static const char *teeth[] = { "11", "21", "36", "48", "54", "" };
	long rows, prest, row = 0, guide = 0;
	unsigned n, i, p, d;

	if (argc < 2) {
		fprintf(stderr, "usage: gen-csv rows [prestadores] [seed]\n");
		return 64;
	}
	rows = atol(argv[1]);
	prest = argc > 2 ? atol(argv[2]) : 100;
	state = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
	if (prest < 1)
		prest = 1;
	printf("codigoPrestadorNaOperadora;numeroGuiaPrestador;"
	    "numeroGuiaOperadora;senhaAutorizacao;dataAutorizacao;"
	    "validadeSenha;dataSolicitacao;numeroCarteira;atendimentoRN;"
	    "nomeBeneficiario;planoBeneficiario;codigoProfExec;nomeProfExec;"
	    "croExec;ufExec;cnesExec;cbosExec2;tipoAtendimento;"
	    "tipoFaturamento;sequencialItem;codigoTabela;codigoProcedimento;"
	    "descricaoProcedimento;codDente;denteFace;qtdProc;valorProc;"
	    "autorizado;dataRealizacao\n");
	while (row < rows) {
		n = 1 + rnd(4);
		p = (unsigned)(guide % prest);
		d = 1 + rnd(27);
		for (i = 0; i < n && row < rows; i++, row++) {
			unsigned k = rnd(6), t = rnd(6);

			printf("%u;G%09ld;%09ld;S%06ld;%02u/03/2026;"
			    "%02u/04/2026;%02u/03/2026;%013ld;N;%s;Odonto "
			    "Essencial;%u;Dr. Prestador %u;%u;SP;%07u;223208;"
			    "1;4;%u;22;%s;%s;%s;%s;1;%u,%02u;S;%02u/03/2026\n",
			    10000000 + p, guide, 800000000 + guide, guide, d, d,
			    d, 1000000000000L + guide, names[guide % 5],
			    20000 + p, p, 20000 + p, 1000000 + p, i + 1,
			    procs[k][0], procs[k][1], teeth[t],
			    t < 5 && k == 1 ? "O" : "", 50 + rnd(900), rnd(100),
			    d + 1);
		}
		guide++;
	}
	return ferror(stdout) ? 74 : 0;
}
