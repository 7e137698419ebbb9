#!/bin/sh
# make install and uninstall: PREFIX and DESTDIR honoured, data found
# beside the installed programs without a rebuild (another PREFIX, a
# moved tree), everything the package ships installed (units and cron
# with BINDIR in place, Slurm scripts, demo, docs, completion), all of
# it removed again; CPPFLAGS reaches the compiler.
. "$TISS_SRC/tests/lib.sh"

B=${TISS_BUILD#"$TISS_SRC"/}
inst() {
	make -s -C "$TISS_SRC" B="$B" "$@" >make.out 2>&1
}

check "make install DESTDIR=stage PREFIX=/usr" inst install DESTDIR="$T_DIR/stage" PREFIX=/usr
s=$T_DIR/stage
for f in usr/bin/tiss-import usr/bin/tiss-run usr/bin/tiss-bureau usr/bin/tiss-config \
    usr/share/tiss/xslt/report-html.xsl usr/share/tiss/xsd/eautorizador-v1.xsd \
    usr/share/tiss/slurm/submit usr/share/tiss/slurm/tiss-shard.sbatch \
    usr/share/tiss/demo/demo usr/share/tiss/demo/tests/operator.sh \
    usr/share/tiss/demo/samples/guias-manuais.csv usr/share/doc/tiss/operations.md \
    usr/share/man/man1/tiss-run.1 usr/share/man/man7/tiss.7 \
    usr/lib/systemd/system/tiss-run@.service usr/lib/systemd/system/tiss-alert@.service \
    usr/lib/systemd/system/tiss-inbox@.path etc/cron.d/tiss \
    usr/share/bash-completion/completions/tiss usr/share/bash-completion/completions/tiss-lote; do
	check "installs $f" test -e "$s/$f"
done
has "$s/usr/lib/systemd/system/tiss-run@.service" "ExecStart=/usr/bin/tiss-run" "the unit runs the installed tiss-run"
has "$s/etc/cron.d/tiss" "tiss PATH=/usr/bin:/bin tiss-run" "the cron line sets its PATH to BINDIR"
check "no @BINDIR@ left" sh -c "! grep -r '@BINDIR@' '$s/usr/lib/systemd' '$s/etc'"
same "$s/usr/share/tiss" "$(env -u TISS_DATADIR "$s/usr/bin/tiss-config" datadir)" \
	"the data is found beside the programs (DESTDIR too)"
mv stage moved
same "$T_DIR/moved/usr/share/tiss" "$(env -u TISS_DATADIR moved/usr/bin/tiss-config datadir)" \
	"and still when the tree moves, with no rebuild"
same "/elsewhere" "$(TISS_DATADIR=/elsewhere moved/usr/bin/tiss-config datadir)" "TISS_DATADIR wins"
# The three programs that read the data, from the moved tree, with no
# TISS_DATADIR: a closed lote's XML, a report, an e-Autorizador file.
tiss-init ws >/dev/null
conf ws registro_ans 123456
conf ws schemas "$TISS_SHARED/4.03.00"
tiss-import -q -C ws "$SAMPLES/guias-manuais.csv"
tiss-validate -q -C ws
tiss-guia -q -C ws set GTO-2026-0003 croExec=12345 cbosExec2=223208 >/dev/null
tiss-lote -q -C ws build >/dev/null
expect_code 0 "installed tiss-xml finds its stylesheet" env -u TISS_DATADIR moved/usr/bin/tiss-xml -q -C ws
same "1 0" "$(sql ws "SELECT count(*) FILTER (WHERE status = 'xml_gerado'), count(*) FILTER (WHERE status = 'fechado') FROM lote" | tr '|' ' ')" "and wrote the lote's XML"
expect_code 0 "installed tiss-report finds its stylesheets" env -u TISS_DATADIR \
	moved/usr/bin/tiss-report -C ws pendencias --format html -o p.html
has p.html "<html" "and renders HTML"
expect_code 0 "installed tiss-fetch finds its schema" env -u TISS_DATADIR \
	moved/usr/bin/tiss-fetch -C ws --from-file "$SAMPLES/eautorizador-10001234.xml" --list
check "make uninstall removes it all" inst uninstall DESTDIR="$T_DIR/moved" PREFIX=/usr
same "" "$(find moved ! -type d)" "no file is left"

check "another PREFIX, no rebuild" inst install PREFIX="$T_DIR/opt"
check "nothing was compiled" sh -c "! grep -E '^(cc|gcc|clang) ' make.out"
has opt/etc/cron.d/tiss "PATH=$T_DIR/opt/bin:/usr/bin:/bin" "cron and units follow PREFIX"
same "$T_DIR/opt/share/tiss" "$(env -u TISS_DATADIR opt/bin/tiss-config datadir)" "data beside the programs"
check "make uninstall" inst uninstall PREFIX="$T_DIR/opt"
same "" "$(find opt ! -type d)" "no file is left"

check "CPPFLAGS reaches the compiler" sh -c "make -n -B -C '$TISS_SRC' B=build/t1740 CPPFLAGS=-DTISS_T1740 build/t1740/common/util.o 2>&1 | grep -q -- -DTISS_T1740"
check "and LDFLAGS the linker" sh -c "make -n -B -C '$TISS_SRC' B=build/t1740 LDFLAGS=-Wl,-zt1740 all 2>&1 | grep tiss-init | grep -q -- -zt1740"
# install-deps by purpose (everything is installed here: --check only).
expect_code 0 "install-deps --check --runtime" "$TISS_SRC/scripts/install-deps" --check --runtime
expect_code 0 "install-deps --check (build and test)" "$TISS_SRC/scripts/install-deps" --check
expect_code 64 "install-deps --bogus" "$TISS_SRC/scripts/install-deps" --bogus
for p in slurm-wlm munge chromium clang; do
	check "$p is not a runtime dependency" sh -c "! grep -A2 '^runtime=' '$TISS_SRC/scripts/install-deps' | grep -qw '$p'"
done
done_testing
