# tiss: batch billing of dental guides (GTO) under the ANS TISS standard.
# make             build every stage into build/bin
# make check       install missing dependencies, build, run the tests
# make check SANITIZE=1   the same under AddressSanitizer and UBSan
# make demo        run the pipeline on samples/ in a fresh workspace
#                  (DEMO_VERSAO=4.01.00: with an operator on 4.01.00)
# make bench       the benchmarks (scripts/bench)
# make install     PREFIX=/usr/local DESTDIR= honoured; make uninstall
# make deb         the Debian package (debian/), into build/deb

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# The programs find their data beside them (BINDIR/../share/tiss, see
# stages/common/datadir.h), so an installed tree can move; this is the
# fallback compiled in.
DATADIR ?= $(PREFIX)/share/tiss
DOCDIR ?= $(PREFIX)/share/doc/tiss
# /etc for a system install, PREFIX/etc for one under /usr/local or $HOME.
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
LOCALEDIR ?= $(PREFIX)/share/locale
PKG_CONFIG ?= pkg-config
VERSION := $(shell cat VERSION)
# The official ANS schemas and TUSS table, read at run time by the tests.
TISS_SHARED ?= $(CURDIR)/../shared/tiss

ifeq ($(SANITIZE),)
B = build
else
B = build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
endif

PKGS = sqlite3 libxml-2.0 libxslt libcurl libcrypto
CFLAGS ?= -O2 -g
WERROR ?= -Werror
override CFLAGS += -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra $(WERROR) \
	-Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
	-Wvla -Istages $(SANFLAGS) -DTISS_DATADIR='"$(DATADIR)"' \
	-DTISS_LOCALEDIR='"$(LOCALEDIR)"' \
	-DTISS_VERSION='"$(VERSION)"' \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
override LDFLAGS += $(SANFLAGS) -Wl,--as-needed
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv

# `make check TESTS=tests/t1100-import.sh` runs some of the suite.  JOBS
# test files run at once (each has its own directory, its servers their
# own ports, the build is only read); JOBS=1 runs them one after the
# other.  The longest start first, so that none ends the run alone.
SLOW_TESTS = tests/t1720-slurm.sh tests/t1910-concurrency.sh \
	tests/t1900-crash.sh tests/t1785-units.sh tests/t1700-run.sh
ALL_TESTS = $(wildcard tests/t*.sh)
TESTS ?= $(filter $(ALL_TESTS),$(SLOW_TESTS)) $(filter-out $(SLOW_TESTS),$(ALL_TESTS))
JOBS ?= 4

PROGS = tiss-init tiss-import tiss-validate tiss-tuss tiss-guia tiss-lote tiss-xml \
	tiss-send tiss-status tiss-secret tiss-report tiss-fetch
PROGS += tiss-config
PROGS += tiss-schemas
PROGS += tiss-demonstrativo
PROGS += tiss-recurso
PROGS += tiss-cancela
PROGS += tiss-portal
COMMON = cfg cli db exitcodes gto migrate http log parse profile protocolo secret state text util validate ws xml
COMMON += datadir
COMMON += eaut
COMMON += guide
COMMON += csv
COMMON += inbox
COMMON += entry
COMMON += listing
COMMON += lotes
COMMON += sheet
COMMON += glabel
COMMON += gsheet
COMMON += gsel
COMMON += importacao
COMMON += review
COMMON += progress
COMMON += tissmsg
COMMON += rules
COMMON += i18n
COMMON += fmt
COMMON += tissver
COMMON += ifile
COMMON += ident
COMMON += ofile
COMMON += fbatch
COMMON += inter
COMMON += render
COMMON += reportdoc
COMMON += demonstrativo
COMMON += exchange
COMMON += recurso
COMMON += portal
COMMON += conciliacao
UNITS = test-text test-parse test-cfg
UNITS += test-exitcodes
UNITS += test-util
UNITS += test-db
UNITS += test-state
UNITS += test-lotefill
UNITS += test-secret
UNITS += test-csv
UNITS += test-tissmsg
UNITS += test-rules
UNITS += test-fmt
UNITS += test-tissver
UNITS += test-ident
UNITS += test-sheet
UNITS += test-cli
UNITS += test-xml
SCRIPTS = scripts/tiss-run scripts/tiss-watch scripts/tiss-bureau

COMMON_OBJ = $(COMMON:%=$(B)/common/%.o)
BIN = $(PROGS:%=$(B)/bin/%)
UNIT_BIN = $(UNITS:%=$(B)/tests/%)
HEADERS = $(wildcard stages/common/*.h)
MAN = $(wildcard docs/man/*.[157])
# Man pages in Portuguese, installed under MANDIR/pt_BR (man(1) picks them
# with LANG=pt_BR.UTF-8).
MAN_PT = $(wildcard docs/man/pt_BR/*.[157])

# Translations: po/LANG.po compiled into $(B)/locale for the tests and
# install; `make pot` extracts the English source strings into po/tiss.pot,
# from the C sources (_, N_, P_) and from the scripts a person reads
# (their msg function, a printf format).
LINGUAS = pt_BR
MO = $(LINGUAS:%=$(B)/locale/%/LC_MESSAGES/tiss.mo)

all: $(BIN) $(MO)

$(B)/locale/%/LC_MESSAGES/tiss.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -kP_:1,2 --add-comments=TRANSLATORS \
	    --package-name=tiss --package-version=$(VERSION) \
	    --msgid-bugs-address= -o po/tiss.pot \
	    $$(ls stages/*.c stages/common/*.c | LC_ALL=C sort)
	xgettext --from-code=UTF-8 -L Shell -kmsg --flag=msg:1:c-format -j \
	    -o po/tiss.pot $(SCRIPTS) scripts/slurm/submit
	for l in $(LINGUAS); do msgmerge -q -U --backup=none po/$$l.po po/tiss.pot; done

$(B)/common/%.o: stages/common/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/libcommon.a: $(COMMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/stages/%.o: stages/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The official schema hashes, compiled into tiss-schemas as a C string.
$(B)/gen/tiss-schemas-sha256.h: data/tiss-schemas.sha256
	@mkdir -p $(@D)
	sed -e '/^#/d' -e '/^$$/d' -e 's/^/"/' -e 's/$$/\\n"/' $< >$@
$(B)/stages/tiss-schemas.o: $(B)/gen/tiss-schemas-sha256.h
$(B)/stages/tiss-schemas.o: override CFLAGS += -I$(B)/gen

# The validation fingerprint (docs/validation.md) covers the rules' code:
# validate.o carries a digest of the sources a guide's verdict depends
# on, so a build with other rules checks every guide again once.
RULES_SRC = VERSION stages/common/rules.c stages/common/tissver.c \
	stages/common/gto.c stages/common/text.c stages/common/fmt.c \
	stages/common/validate.c
$(B)/common/validate.o: $(RULES_SRC)
$(B)/common/validate.o: override CFLAGS += \
	-DTISS_RULES_ID='"$(shell cat $(RULES_SRC) | sha256sum | cut -c1-16)"'

$(BIN): $(B)/bin/%: $(B)/stages/%.o $(B)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(B)/libcommon.a $(LIBS)

$(UNIT_BIN): $(B)/tests/%: tests/unit/%.c tests/unit/tap.h $(B)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(B)/libcommon.a $(LIBS)

$(B)/tools/gen-csv: tests/tools/gen-csv.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(B)/tools/xml-parse: tests/tools/xml-parse.c $(B)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libcommon.a $(LIBS)

# Install the Debian packages the build and tests need, when one is missing.
deps:
	@scripts/install-deps --check >/dev/null 2>&1 || scripts/install-deps

check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN) $(B)/tools/gen-csv \
	    $(B)/tools/xml-parse
	@$(MAKE) --no-print-directory test

# Runs the suite against what is built; `check` builds it first.
test:
	mandoc -Tlint -Wwarning $(MAN) $(MAN_PT)
	for l in $(LINGUAS); do msgfmt --check -o /dev/null po/$$l.po; done
	PATH="$(CURDIR)/$(B)/bin:$$PATH" TISS_BUILD="$(CURDIR)/$(B)" \
	TISS_SRC="$(CURDIR)" TISS_SHARED="$(TISS_SHARED)" TISS_DATADIR="$(CURDIR)" \
	TISS_LOCALEDIR="$(CURDIR)/$(B)/locale" \
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	prove -j$(JOBS) --timer --exec sh $(TESTS)

demo: deps
	@$(MAKE) --no-print-directory all
	@PATH="$(CURDIR)/$(B)/bin:$(CURDIR)/scripts:$$PATH" TISS_SHARED="$(TISS_SHARED)" \
	TISS_DATADIR="$(CURDIR)" DEMO_VERSAO="$(DEMO_VERSAO)" \
	scripts/demo "$(CURDIR)/$(B)/demo"

bench: deps
	@$(MAKE) --no-print-directory all $(B)/tools/gen-csv
	@PATH="$(CURDIR)/$(B)/bin:$$PATH" TISS_BUILD="$(CURDIR)/$(B)" \
	TISS_SHARED="$(TISS_SHARED)" TISS_DATADIR="$(CURDIR)" \
	scripts/bench $(BENCH_ARGS)

# What the package installs, and `make install` too (debian/rules calls
# it): programs, scripts, man pages, data, the Slurm scripts, the demo
# with its stand-in servers, docs, units, the cron file, completion.
# Units and the cron file get BINDIR in place of @BINDIR@.
UNITS_SYSTEMD = $(wildcard scripts/systemd/*)
SLURM = scripts/slurm/submit scripts/slurm/tiss-shard.sbatch \
	scripts/slurm/tiss-summary.sbatch
DEMO = scripts/demo tests/operator.sh tests/tools/fake-operator.py \
	tests/tools/fake_operator_after.py \
	tests/tools/fake-eautorizador.py tests/tools/tiss-hash.xsl $(wildcard samples/*)
DOCS = README.md $(wildcard docs/*.md)
ALLPROGS = $(PROGS) $(SCRIPTS:scripts/%=%)
SUBST = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|PATH=/usr/bin:/usr/bin:|PATH=/usr/bin:|'

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(DATADIR)/xslt $(DESTDIR)$(DATADIR)/xsd \
	    $(DESTDIR)$(DATADIR)/slurm $(DESTDIR)$(DATADIR)/demo/samples \
	    $(DESTDIR)$(DATADIR)/demo/tests/tools $(DESTDIR)$(DOCDIR) \
	    $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(SYSCONFDIR)/cron.d \
	    $(DESTDIR)$(COMPLETIONDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)
	install -m 755 $(SCRIPTS) $(DESTDIR)$(BINDIR)
	for f in $(MAN); do \
	    install -m 644 $$f $(DESTDIR)$(MANDIR)/man$${f##*.}/; done
	for f in xslt/*.xsl xsd/*.xsd; do \
	    [ ! -e "$$f" ] || install -m 644 $$f $(DESTDIR)$(DATADIR)/$$f; done
	install -m 755 $(SLURM) $(DESTDIR)$(DATADIR)/slurm
	for f in $(DEMO); do case $$f in \
	    scripts/demo) install -m 755 $$f $(DESTDIR)$(DATADIR)/demo/demo ;; \
	    *) install -m 644 $$f $(DESTDIR)$(DATADIR)/demo/$$f ;; esac; done
	install -m 644 $(DOCS) $(DESTDIR)$(DOCDIR)
	for f in $(UNITS_SYSTEMD); do $(SUBST) $$f >$(DESTDIR)$(SYSTEMDDIR)/$${f##*/} && \
	    chmod 644 $(DESTDIR)$(SYSTEMDDIR)/$${f##*/}; done
	$(SUBST) scripts/tiss.cron >$(DESTDIR)$(SYSCONFDIR)/cron.d/tiss
	chmod 644 $(DESTDIR)$(SYSCONFDIR)/cron.d/tiss
	install -m 644 scripts/completion/tiss.bash $(DESTDIR)$(COMPLETIONDIR)/tiss
	for p in $(ALLPROGS); do \
	    ln -sf tiss $(DESTDIR)$(COMPLETIONDIR)/$$p; done
	for f in $(MAN_PT); do \
	    install -d $(DESTDIR)$(MANDIR)/pt_BR/man$${f##*.}; \
	    install -m 644 $$f $(DESTDIR)$(MANDIR)/pt_BR/man$${f##*.}/; done
	for l in $(LINGUAS); do \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	    install -m 644 $(B)/locale/$$l/LC_MESSAGES/tiss.mo \
	        $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/; done

uninstall:
	for p in $(ALLPROGS); do \
	    rm -f $(DESTDIR)$(BINDIR)/$$p $(DESTDIR)$(COMPLETIONDIR)/$$p; done
	for f in $(MAN); do \
	    rm -f $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}; done
	for f in $(UNITS_SYSTEMD); do rm -f $(DESTDIR)$(SYSTEMDDIR)/$${f##*/}; done
	rm -f $(DESTDIR)$(SYSCONFDIR)/cron.d/tiss $(DESTDIR)$(COMPLETIONDIR)/tiss
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)
	for l in $(LINGUAS); do \
	    rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/tiss.mo; done
	for f in $(MAN_PT); do \
	    rm -f $(DESTDIR)$(MANDIR)/pt_BR/man$${f##*.}/$${f##*/}; done

# The Debian package from this tree (debian/), unsigned, built in a
# copy under build/deb (dpkg-buildpackage writes beside the source),
# then checked with lintian; scripts/deb-chroot installs it into a clean
# Debian root and runs the demo there.
DEB_SRC = build/deb/tiss-$(VERSION)
deb:
	rm -rf build/deb
	mkdir -p $(DEB_SRC)
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
	    { tail -n 40 ../build.log; exit 1; }
	lintian --fail-on warning \
	    build/deb/tiss_$(VERSION)_*.changes
	@ls -l build/deb/*.deb

# libFuzzer harnesses, tests/fuzz/fuzz-NAME.c with a seed corpus in
# tests/fuzz/NAME/; clang with ASan and UBSan.  FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
FUZZERS = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_B = build/fuzz
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_COMMON = $(COMMON:%=stages/common/%.c)

$(FUZZ_B)/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_COMMON) $(HEADERS)
	@mkdir -p $(@D)
	clang -O1 -g $(filter-out -Werror $(SANFLAGS),$(CFLAGS)) -Werror \
	    $(FUZZ_FLAGS) -o $@ $< $(FUZZ_COMMON) $(LIBS)

fuzz: deps $(FUZZERS:%=$(FUZZ_B)/%)
	@set -e; for f in $(FUZZERS); do \
	    mkdir -p $(FUZZ_B)/corpus/$$f; \
	    echo "fuzz: $$f for $(FUZZ_SECONDS) s"; \
	    $(FUZZ_B)/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        $(FUZZ_B)/corpus/$$f tests/fuzz/$${f#fuzz-} \
	        2>$(FUZZ_B)/$$f.log || { tail -50 $(FUZZ_B)/$$f.log; exit 1; }; \
	    grep -E 'stat::number_of_executed_units|cov:' $(FUZZ_B)/$$f.log | tail -2; \
	done

clean:
	rm -rf build

.PHONY: all deps check test demo bench fuzz install uninstall deb clean pot
