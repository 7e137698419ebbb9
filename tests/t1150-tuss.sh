#!/bin/sh
# tiss-tuss load: the TUSS table 22 through the one CSV reader; common
# options; a bad file refused whole with FILE:LINE:COLUMN messages.
. "$TISS_SRC/tests/lib.sh"

tiss-init ws >/dev/null
expect_code 0 "--help exits 0" tiss-tuss --help
has out "usage: tiss-tuss" "--help prints the usage on stdout"
expect_code 64 "no command is a usage error" tiss-tuss -C ws
expect_code 64 "an unknown command" tiss-tuss -C ws unload x.csv

H='Código do Termo;Termo;Data de início de vigência;Data de fim de vigência;Data de fim de implantação'
printf '\357\273\277%s\r\n81000065;Consulta odontológica;01/01/2010;;\r\n"85100099";"Profilaxia; polimento";01/01/2010;31/12/2030;\r\n' "$H" >t.csv
expect_code 0 "a table with a BOM, CRLF and quoted fields" tiss-tuss -C ws load t.csv
same 2 "$(sql ws 'SELECT count(*) FROM tuss')" "both terms loaded"
same "Profilaxia; polimento" "$(sql ws "SELECT termo FROM tuss WHERE codigo='85100099'")" \
	"a separator inside quotes is kept"

printf '%s\n81000065;Consulta;01/01/2010;;\n81000073;"Outra\nlinha";31/02/2010;;\n' "$H" >bad.csv
expect_code 65 "a bad date refuses the file" tiss-tuss -C ws load bad.csv
has err "bad.csv:4:3: Data de início de vigência: '31/02/2010'" \
	"the problem is reported on the physical line of the field"
same 2 "$(sql ws 'SELECT count(*) FROM tuss')" "the table loaded before stays"

printf '%s\n81000065;"Consulta;01/01/2010;;\n' "$H" >open.csv
expect_code 65 "an unclosed quote" tiss-tuss -C ws load open.csv
has err "open.csv:2: row: quoted field never closed" "reported with its line"
expect_code 66 "a missing file" tiss-tuss -C ws load nowhere.csv
done_testing
