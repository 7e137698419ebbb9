# tiss: batch billing of dental guides (GTO) under the ANS TISS standard.
# make             build every stage into build/bin
# make check       install missing dependencies, build, run the tests
# make check SANITIZE=1   the same under AddressSanitizer and UBSan
# make demo        run the pipeline on samples/ in a fresh workspace
#                  (DEMO_VERSAO=4.01.00: with an operator on 4.01.00)
# make bench       the benchmarks (scripts/bench)
# make install     PREFIX=/usr/local DESTDIR= honoured

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/tiss
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
	-DTISS_VERSION='"$(VERSION)"' \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
override LDFLAGS += $(SANFLAGS) -Wl,--as-needed
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv

# `make check TESTS=tests/t1100-import.sh` runs some of the suite.
TESTS ?= tests/t*.sh

PROGS = tiss-init tiss-import tiss-validate tiss-tuss tiss-guia tiss-lote tiss-xml \
	tiss-send tiss-status tiss-secret tiss-report tiss-fetch
PROGS += tiss-config
PROGS += tiss-schemas
PROGS += tiss-demonstrativo
PROGS += tiss-recurso
PROGS += tiss-cancela
PROGS += tiss-portal
COMMON = cfg cli db exitcodes gto migrate http log parse profile protocolo secret state text util validate ws xml
COMMON += eaut
COMMON += guide
COMMON += csv
COMMON += inbox
COMMON += entry
COMMON += listing
COMMON += lotes
COMMON += sheet
COMMON += gsheet
COMMON += gsel
COMMON += importacao
COMMON += review
COMMON += progress
COMMON += tissmsg
COMMON += rules
COMMON += tissver
COMMON += ident
COMMON += ofile
COMMON += fbatch
COMMON += inter
COMMON += render
COMMON += demonstrativo
COMMON += exchange
COMMON += recurso
COMMON += portal
COMMON += conciliacao
UNITS = test-text test-parse test-cfg
UNITS += test-exitcodes
UNITS += test-util
UNITS += test-db
UNITS += test-secret
UNITS += test-csv
UNITS += test-tissmsg
UNITS += test-rules
UNITS += test-tissver
UNITS += test-ident
UNITS += test-sheet
SCRIPTS = scripts/tiss-run scripts/tiss-watch scripts/tiss-bureau

COMMON_OBJ = $(COMMON:%=$(B)/common/%.o)
BIN = $(PROGS:%=$(B)/bin/%)
UNIT_BIN = $(UNITS:%=$(B)/tests/%)
HEADERS = $(wildcard stages/common/*.h)
MAN = $(wildcard docs/man/*.[157])

all: $(BIN)

$(B)/common/%.o: stages/common/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libcommon.a: $(COMMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/stages/%.o: stages/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# The official schema hashes, compiled into tiss-schemas as a C string.
$(B)/gen/tiss-schemas-sha256.h: data/tiss-schemas.sha256
	@mkdir -p $(@D)
	sed -e '/^#/d' -e '/^$$/d' -e 's/^/"/' -e 's/$$/\\n"/' $< >$@
$(B)/stages/tiss-schemas.o: $(B)/gen/tiss-schemas-sha256.h
$(B)/stages/tiss-schemas.o: override CFLAGS += -I$(B)/gen

$(BIN): $(B)/bin/%: $(B)/stages/%.o $(B)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(B)/libcommon.a $(LIBS)

$(UNIT_BIN): $(B)/tests/%: tests/unit/%.c tests/unit/tap.h $(B)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(B)/libcommon.a $(LIBS)

$(B)/tools/gen-csv: tests/tools/gen-csv.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(B)/tools/xml-parse: tests/tools/xml-parse.c $(B)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libcommon.a $(LIBS)

# Install the Debian packages the build and tests need, when one is missing.
deps:
	@scripts/install-deps --check >/dev/null 2>&1 || scripts/install-deps

check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN) $(B)/tools/gen-csv \
	    $(B)/tools/xml-parse
	@$(MAKE) --no-print-directory test

# Runs the suite against what is built; `check` builds it first.
test:
	mandoc -Tlint -Wwarning $(MAN)
	PATH="$(CURDIR)/$(B)/bin:$$PATH" TISS_BUILD="$(CURDIR)/$(B)" \
	TISS_SRC="$(CURDIR)" TISS_SHARED="$(TISS_SHARED)" TISS_DATADIR="$(CURDIR)" \
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	prove --exec sh $(TESTS)

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

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(DATADIR)/xslt $(DESTDIR)$(DATADIR)/xsd
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)
	install -m 755 $(SCRIPTS) $(DESTDIR)$(BINDIR)
	for f in $(MAN); do \
	    install -m 644 $$f $(DESTDIR)$(MANDIR)/man$${f##*.}/; done
	for f in xslt/*.xsl xsd/*.xsd; do \
	    [ ! -e "$$f" ] || install -m 644 $$f $(DESTDIR)$(DATADIR)/$$f; done

uninstall:
	for p in $(PROGS) $(SCRIPTS:scripts/%=%); do \
	    rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for f in $(MAN); do \
	    rm -f $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}; done
	rm -rf $(DESTDIR)$(DATADIR)

# libFuzzer harnesses, tests/fuzz/fuzz-NAME.c with a seed corpus in
# tests/fuzz/NAME/; clang with ASan and UBSan.  FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
FUZZERS = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_B = build/fuzz
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_COMMON = $(COMMON:%=stages/common/%.c)

$(FUZZ_B)/%: tests/fuzz/%.c $(FUZZ_COMMON) $(HEADERS)
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

.PHONY: all deps check test demo bench fuzz install uninstall clean
