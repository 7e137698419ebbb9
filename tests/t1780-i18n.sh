#!/bin/sh
# Messages in Portuguese through gettext (LANG=pt_BR.UTF-8, whether or not
# the locale is generated), English with LANG=C or en; the time zone
# setting; tiss.conf's comments in Portuguese.
. "$TISS_SRC/tests/lib.sh"

PT=pt_BR.UTF-8
expect_code 0 "init" tiss-init ws
has ws/tiss.conf "# Registro ANS da operadora, 6 dígitos." "tiss.conf comments in Portuguese"
has ws/tiss.conf "#fuso_horario = America/Sao_Paulo" "... with the time zone setting"

# A workspace error (fatal) and a usage error, in both languages.
expect_code 78 "not a workspace, pt_BR" env LANG=$PT tiss-status -C nows
has err "'nows' não é um espaço de trabalho (falta tiss.db ou tiss.conf)" "... in Portuguese"
has err " error: " "... the level tag stays as scripts read it"
expect_code 78 "not a workspace, LANG=C" env LANG=C tiss-status -C nows
has err "'nows' is not a workspace (no tiss.db or tiss.conf)" "... in English"
expect_code 78 "LANG=en_US.UTF-8" env LANG=en_US.UTF-8 tiss-status -C nows
has err "is not a workspace" "... English (no en catalog)"
expect_code 78 "LC_ALL=C over LANG=pt_BR" env LANG=$PT LC_ALL=C tiss-status -C nows
has err "is not a workspace" "... English"
expect_code 78 "LANG=C ignores LANGUAGE" env LANG=C LANGUAGE=pt_BR tiss-status -C nows
has err "is not a workspace" "... English"
expect_code 78 "LANG=C.UTF-8 with LANGUAGE=pt_BR" env LANG=C.UTF-8 LANGUAGE=pt_BR tiss-status -C nows
has err "não é um espaço de trabalho" "... Portuguese"
expect_code 64 "bad --lote, pt_BR" env LANG=$PT tiss-status -C ws --lote 0
has err "tiss-status: --lote '0': o número de um lote é um número inteiro" "... in Portuguese, naming the program"
expect_code 0 "--help, pt_BR" env LANG=$PT tiss-validate --help
has out "uso: tiss-validate" "... the usage in Portuguese"
expect_code 65 "tiss-secret with no value, pt_BR" env LANG=$PT tiss-secret -C ws set x </dev/null
has err "nenhum valor na entrada padrão; nada foi gravado" "... in Portuguese"

# A summary and a warning.
expect_code 0 "validate, pt_BR" env LANG=$PT tiss-validate -C ws
has err "registro_ans não está preenchido em 'ws/tiss.conf'" "the warning in Portuguese"
has err "0 guia(s) conferida(s): 0 completa(s), 0 incompleta(s)" "the summary in Portuguese"
expect_code 0 "validate, LANG=C" tiss-validate -C ws
has err "checked 0 guides: 0 completo, 0 incompleto" "the summary in English"

# A sample of each program's messages in Portuguese (English with LANG=C).
expect_code 66 "tiss-lote: no such lote, pt_BR" env LANG=$PT tiss-lote -C ws close 99
has err "nenhum lote com o número '99'" "... in Portuguese"
expect_code 66 "tiss-lote: no such lote, LANG=C" tiss-lote -C ws close 99
has err "no lote numbered '99'" "... in English"
expect_code 0 "tiss-lote build, pt_BR" env LANG=$PT tiss-lote -C ws build
has err "0 lote de até 50 guias montado com 0 guia(s) completa(s)" "... the summary, a whole sentence"
expect_code 66 "tiss-lote reter, pt_BR" env LANG=$PT tiss-lote -C ws reter G9
has err "nenhuma guia com o número G9" "... the review step in Portuguese"
: >empty.csv
expect_code 65 "tiss-import of an empty file, pt_BR" env LANG=$PT tiss-import -C ws empty.csv
has err "empty.csv:1: header: arquivo vazio: espera-se uma linha de cabeçalho" "... the problem in Portuguese"
has err "'empty.csv' recusado: 1 problema, nada foi importado dele" "... and the summary (singular)"
expect_code 65 "tiss-import, LANG=C" tiss-import -C ws empty.csv
has err "'empty.csv' rejected: 1 problem, nothing imported from it" "... in English"
expect_code 66 "tiss-report: no such lote, pt_BR" env LANG=$PT tiss-report -C ws protocolo 99
has err "nenhum lote com o número 99" "... in Portuguese"
expect_code 65 "tiss-portal: no such lote, pt_BR" env LANG=$PT tiss-portal -C ws -p 1 protocolo 5 ABC
has err "o lote 5 de 1 não existe; nada foi registrado" "... in Portuguese"
expect_code 74 "tiss-config backup over a file, pt_BR" env LANG=$PT tiss-config -C ws backup empty.csv
has err "'empty.csv' já existe; dê o nome de um arquivo novo" "... in Portuguese"
printf '[operadora]\nregistro_ans = 123456\nschemas = %s\n' "$TISS_SHARED/4.03.00" >>ws/tiss.conf
expect_code 78 "tiss-send with no endpoint, pt_BR" env LANG=$PT tiss-send -C ws
has err "preencha [operadora] endpoint com o endereço tissLoteGuias" "... in Portuguese"
expect_code 78 "tiss-cancela with no endpoint, pt_BR" env LANG=$PT tiss-cancela -C ws -p 1 --motivo x G1
has err "preencha [operadora] cancela_endpoint" "... in Portuguese"
expect_code 66 "tiss-demonstrativo, a missing file, pt_BR" env LANG=$PT tiss-demonstrativo -C ws --from-file nope.xml
has err "não foi possível ler 'nope.xml'" "... in Portuguese"
expect_code 66 "tiss-recurso, a missing file, pt_BR" env LANG=$PT tiss-recurso -C ws import nope.csv
has err "não foi possível ler 'nope.csv'" "... in Portuguese"
expect_code 0 "tiss-xml, nothing to do, pt_BR" env LANG=$PT tiss-xml -C ws

# The scripts a person reads, through gettext too.
PATH=$TISS_SRC/scripts:$PATH
expect_code 78 "tiss-run, not a workspace, pt_BR" env LANG=$PT tiss-run -C nows
has err "tiss-run: 'nows' não é um espaço de trabalho; crie um com tiss-init" "... in Portuguese"
expect_code 78 "tiss-run, LANG=C" tiss-run -C nows
has err "tiss-run: 'nows' is not a workspace; create it with tiss-init" "... in English"
expect_code 64 "tiss-run usage, pt_BR" env LANG=$PT tiss-run --bogus
has err "uso: tiss-run" "... the usage"
expect_code 78 "tiss-watch, pt_BR" env LANG=$PT tiss-watch -C nows
has err "não é um espaço de trabalho" "... in Portuguese"
expect_code 66 "tiss-bureau, pt_BR" env LANG=$PT tiss-bureau run --plan nope.tsv
has err "não foi possível ler o plano 'nope.tsv'" "... in Portuguese"
expect_code 64 "slurm/submit, pt_BR" env LANG=$PT "$TISS_SRC/scripts/slurm/submit"
has err "uso: submit ROOT SHARDS" "... in Portuguese"

# With the locale generated (localedef, as install-deps does for tests).
if mkdir -p loc &&
    localedef -i pt_BR -f UTF-8 loc/pt_BR.UTF-8 >/dev/null 2>&1; then
	# glibc's setlocale leaks a few bytes reading a LOCPATH locale.
	expect_code 78 "generated pt_BR locale" env LOCPATH=$PWD/loc LANG=$PT \
	    ASAN_OPTIONS=detect_leaks=0 tiss-status -C nows
	has err "não é um espaço de trabalho" "... Portuguese"
else
	pass "generated pt_BR locale # skip no localedef"
	pass "... Portuguese # skip"
fi

# Times a person reads are in the workspace's zone, dd/mm/aaaa hh:mm.
expect_code 0 "store a secret" sh -c 'printf "s3nha\n" | tiss-secret -C ws set senha'
touch -d '2026-11-30 17:05:00Z' ws/secrets/senha
expect_code 0 "list the secrets" tiss-secret -C ws list
has out "30/11/2026 14:05" "its date in America/Sao_Paulo (the default)"
printf '[workspace]\nfuso_horario = America/Manaus\n' >>ws/tiss.conf
expect_code 0 "list in Manaus" tiss-secret -C ws list
has out "30/11/2026 13:05" "its date in America/Manaus"
sed -i 's|^fuso_horario = .*|fuso_horario = Nowhere/Atlantis|' ws/tiss.conf
expect_code 0 "a zone without its tzdata file" env LANG=$PT tiss-secret -C ws list
has out "30/11/2026 17:05 UTC" "shown in UTC, said so"
has err "o fuso horário 'Nowhere/Atlantis' não está instalado" "after a warning"
sed -i '/^fuso_horario/d' ws/tiss.conf

# The time zone setting: a bad name is a configuration error.
printf '[workspace]\nfuso_horario = ../../etc/passwd\n' >>ws/tiss.conf
expect_code 78 "a bad fuso_horario" env LANG=$PT tiss-validate -C ws
has err "tiss.conf:" "... naming the line"
has err "'../../etc/passwd' não é um fuso horário" "... in Portuguese"
sed -i 's|^fuso_horario = .*|fuso_horario = America/Manaus|' ws/tiss.conf
expect_code 0 "a good fuso_horario" tiss-validate -C ws

# The catalog is complete: every message marked in the sources has a
# Portuguese translation (run `make pot` and translate po/pt_BR.po).
if command -v xgettext >/dev/null 2>&1; then
	xgettext --from-code=UTF-8 -k_ -kN_ -kP_:1,2 -o now.pot \
	    "$TISS_SRC"/stages/*.c "$TISS_SRC"/stages/common/*.c 2>/dev/null
	xgettext --from-code=UTF-8 -L Shell -kmsg --flag=msg:1:c-format -j \
	    -o now.pot "$TISS_SRC"/scripts/tiss-run "$TISS_SRC"/scripts/tiss-watch \
	    "$TISS_SRC"/scripts/tiss-bureau "$TISS_SRC"/scripts/slurm/submit 2>/dev/null
	msgmerge -q --no-fuzzy-matching -o merged.po "$TISS_SRC/po/pt_BR.po" now.pot
	msgattrib --untranslated --no-obsolete merged.po | grep '^msgid' |
	    grep -v '^msgid ""$' >untranslated
	if [ -s untranslated ]; then
		fail "every message translated: $(wc -l <untranslated) not"
		sed 's/^/# /' untranslated | head -20
	else
		pass "every message translated"
	fi
else
	pass "every message translated # skip no xgettext"
fi
done_testing
