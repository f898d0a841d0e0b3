# Grand Livre — one Makefile, out-of-tree build in build/ (or $(BUILD)).
#   make            build the daemon, the client, the library
#   make check      unit + integration tests (Criterion), fuzz corpus replay, web pages in Chromium
#   make asan       the same tests built with ASan + UBSan, in build-asan/
#   make fuzz       libFuzzer runs of every fuzz target (clang), bounded
#   make valgrind   the integration tests, client and daemons under valgrind
#   make demo       the group's demo year on ./var
#   make bench      throughput, latency and baselines into docs/benchmarks.md
#   make crashtest  SIGKILL crash loop + power-loss images (CRASHTEST_QUICK=1: CI's short run)
#   make soak       steady load, latency and memory over time (SOAK_SECONDS, default 600)
#   make dupcheck   copy-paste detector (jscpd) on the production code; fails on any clone
#   make format     rewrite every C file in .clang-format's layout; make format-check fails on any that differs
#   make install    PREFIX=/usr/local
#   make po         refresh po/grandlivre.pot from the sources and merge it into po/fr.po
#   make install    PREFIX=/usr/local (DESTDIR honoured): programs, library, man pages, bash completion
#   make man        the manual pages in build/man, from the programs' --help
BUILD ?= build
PREFIX ?= /usr/local
CC ?= cc

PKGS := libzmq lmdb libsodium inih jansson libmicrohttpd libxml-2.0
TEST_PKGS := criterion
PKG_CHECK := $(shell pkg-config --exists $(PKGS) $(TEST_PKGS) || echo missing)
ifeq ($(PKG_CHECK),missing)
$(error missing libraries: run 'sh scripts/bootstrap' as root (pkg-config $(PKGS) $(TEST_PKGS)))
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wvla -Wno-format-nonliteral -Wno-format-truncation
CFLAGS ?= -O2 -g
SAN ?=
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SAN) -I. \
              $(shell pkg-config --cflags $(PKGS))
LIBS := $(shell pkg-config --libs $(PKGS)) -lpthread
TEST_LIBS := $(shell pkg-config --libs $(TEST_PKGS))

PROTO_SRC := $(wildcard proto/*.c)
CLIENT_LIB_SRC := $(wildcard client/lib/*.c)
CLIENT_CLI_SRC := $(wildcard client/cli/*.c client/output/*.c client/fec/*.c client/input/*.c client/statements/*.c client/verify/*.c client/web/*.c client/bank/*.c client/analytic/*.c client/payroll/*.c client/timesheets/*.c client/staff/*.c client/funds/*.c client/funders/*.c)
DAEMON_SRC := $(wildcard daemon/*.c daemon/store/*.c daemon/rules/*.c)
UNIT_SRC := $(wildcard tests/unit/*.c)
INTEG_SRC := $(wildcard tests/integration/*.c)
SUPPORT_SRC := $(wildcard tests/support/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

PROTO_OBJ := $(call obj,$(PROTO_SRC))
CLIENT_LIB_OBJ := $(call obj,$(CLIENT_LIB_SRC))
CLIENT_CLI_OBJ := $(call obj,$(CLIENT_CLI_SRC))
CLIENT_CLI_NOMAIN := $(filter-out $(BUILD)/obj/client/cli/main.o,$(CLIENT_CLI_OBJ))
DAEMON_OBJ := $(call obj,$(DAEMON_SRC))
DAEMON_NOMAIN := $(filter-out $(BUILD)/obj/daemon/main.o,$(DAEMON_OBJ))
CHART_OBJ := $(BUILD)/obj/chart_data.o

BINS := $(BUILD)/grandlivred $(BUILD)/grandlivre $(BUILD)/libgrandlivre.a $(BUILD)/locale/fr/LC_MESSAGES/grandlivre.mo

.PHONY: po all check unit integration fuzz-replay asan fuzz demo install clean bench valgrind crashtest soak dupcheck format format-check
all: $(BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The associations' charts (before 2025, and from 2025), embedded in the client as C data.
$(BUILD)/chart_data.c: data/chart-anc-2018-06.csv data/chart-anc-2025.csv scripts/embed-chart
	@mkdir -p $(dir $@)
	sh scripts/embed-chart data/chart-anc-2018-06.csv gl_standard_chart data/chart-anc-2025.csv gl_chart_2025 > $@
$(CHART_OBJ): $(BUILD)/chart_data.c
	$(CC) $(ALL_CFLAGS) -Iclient -c $< -o $@

# The client's messages in French (client/cli/i18n.h): msgfmt (Debian's
# gettext package) compiles po/fr.po next to the program, where it finds
# it in the build tree; make install puts it in $(PREFIX)/share/locale.
$(BUILD)/obj/client/cli/i18n.o: ALL_CFLAGS += -DGL_LOCALEDIR='"$(PREFIX)/share/locale"'
# (rebuilt when PREFIX changes: the file below holds the one it was built with)
$(BUILD)/obj/client/cli/i18n.o: $(BUILD)/localedir
$(BUILD)/localedir: FORCE
	@mkdir -p $(BUILD)
	@echo '$(PREFIX)/share/locale' | cmp -s - $@ || echo '$(PREFIX)/share/locale' > $@
FORCE:
$(BUILD)/locale/fr/LC_MESSAGES/grandlivre.mo: po/fr.po
	@command -v msgfmt >/dev/null || { echo "msgfmt missing: run 'sh scripts/bootstrap' as root (package gettext)" >&2; exit 1; }
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# xgettext reads _() and N_(), cli_error/cli_warn formats, and the column
# names and status messages that scripts/po-sources lists (they are data).
po:
	@mkdir -p $(BUILD)
	python3 scripts/po-sources > $(BUILD)/po-sources.c
	xgettext --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: --sort-by-file \
	  --keyword=_ --keyword=N_ --keyword=cli_error --keyword=cli_warn --keyword=PLURAL:2,3 \
	  --flag=cli_error:1:c-format --flag=cli_warn:1:c-format \
	  --package-name=grandlivre --msgid-bugs-address= -o po/grandlivre.pot \
	  $(sort $(wildcard client/cli/*.c client/output/*.c client/input/date_why.c client/web/*.c client/bank/*.c client/analytic/*.c client/payroll/*.c client/timesheets/*.c client/staff/*.c client/funds/*.c client/funders/*.c)) $(BUILD)/po-sources.c
	sed -i -e 's|$(BUILD)/po-sources.c|scripts/po-sources|' po/grandlivre.pot
	msgmerge --quiet --update --backup=none --no-fuzzy-matching po/fr.po po/grandlivre.pot

$(BUILD)/libgrandlivre.a: $(PROTO_OBJ) $(CLIENT_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/grandlivre: $(CLIENT_CLI_OBJ) $(CHART_OBJ) $(BUILD)/libgrandlivre.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLIENT_CLI_OBJ) $(CHART_OBJ) $(BUILD)/libgrandlivre.a $(LIBS)

$(BUILD)/grandlivred: $(DAEMON_OBJ) $(PROTO_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

# (and the crash tests' power-loss image builder, tests/unit/test_crash_images.c,
# and their write-logging shim beside it, tests/unit/test_crash_shim.c)
CRASH_IMG_OBJ := $(call obj,tests/crash/imgbuild.c tests/crash/util.c)
$(BUILD)/test_unit: $(call obj,$(UNIT_SRC) $(SUPPORT_SRC)) $(CRASH_IMG_OBJ) $(CLIENT_CLI_NOMAIN) $(CHART_OBJ) $(DAEMON_NOMAIN) $(BUILD)/libgrandlivre.a | $(BUILD)/libgliolog.so
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

# The integration tests share the crash tests' ledger checker (tests/crash/check.c),
# and run the store's upgrade steps on a stopped daemon's data (daemon/store/).
CHECK_OBJ := $(call obj,tests/crash/check.c tests/crash/util.c)
STORE_STEP_OBJ := $(call obj,daemon/store/store.c daemon/store/keys.c daemon/store/redigest.c daemon/log.c)
$(BUILD)/test_integration: $(call obj,$(INTEG_SRC) $(SUPPORT_SRC)) $(CHECK_OBJ) $(STORE_STEP_OBJ) $(CLIENT_CLI_NOMAIN) $(CHART_OBJ) $(BUILD)/libgrandlivre.a | $(BUILD)/libgliolog.so
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

# Each fuzz target linked with a replay main for gcc (make check replays the corpus).
# fuzz_config also needs the daemon's configuration parser.
FUZZ_DAEMON_OBJ := $(BUILD)/obj/daemon/config.o
$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/replay_main.c $(CLIENT_CLI_NOMAIN) $(CHART_OBJ) $(FUZZ_DAEMON_OBJ) $(BUILD)/libgrandlivre.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay_main.c $(CLIENT_CLI_NOMAIN) $(CHART_OBJ) $(FUZZ_DAEMON_OBJ) $(BUILD)/libgrandlivre.a $(LIBS)

FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))

# The benchmark's load generator (client library) and PostgreSQL loader (libpq).
$(BUILD)/loadgen: tests/bench/loadgen.c tests/bench/bench_entries.h $(BUILD)/libgrandlivre.a
	$(CC) $(ALL_CFLAGS) -o $@ tests/bench/loadgen.c $(BUILD)/libgrandlivre.a $(LIBS)

$(BUILD)/pg_load: tests/bench/pg_load.c tests/bench/bench_entries.h
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags libpq 2>/dev/null) -o $@ tests/bench/pg_load.c \
	  $(shell pkg-config --libs libpq 2>/dev/null) -lpthread

# The crash tests' tools (tests/crash/): the fault-injection program, and the
# shim that logs the daemon's writes and flushes for the power-loss images.
TORTURE_SRC := $(filter-out tests/crash/iolog.c,$(wildcard tests/crash/*.c))
$(BUILD)/gltorture: $(call obj,$(TORTURE_SRC)) $(BUILD)/libgrandlivre.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

# (never sanitized: preloaded into other programs — dd in tests/unit/test_crash_shim.c
# under make asan — an ASan runtime that does not come first stops them)
$(BUILD)/libgliolog.so: tests/crash/iolog.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out $(SAN),$(ALL_CFLAGS)) -fPIC -shared -o $@ $< -ldl -lpthread

unit: $(BUILD)/test_unit
	$(BUILD)/test_unit --jobs=2

integration: $(BINS) $(BUILD)/test_integration
	GL_BUILD=$(abspath $(BUILD)) $(BUILD)/test_integration --jobs=2

fuzz-replay: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do n=$$(basename $$f); \
	  $$f tests/fuzz/corpus/$$n || exit 1; done

check: all unit integration fuzz-replay
	@echo "make check: all tests passed"

# Everything make check runs, built and nothing run: .ci/run builds with
# make -j2 check-build (both cores compiling), then runs make check without
# -j, one test target after another (each test binary runs --jobs=2 of its
# own, and tests with deadlines are not squeezed by a second one beside).
# asan-build is the same for make asan.
.PHONY: check-build asan-build
check-build: all $(BUILD)/test_unit $(BUILD)/test_integration $(FUZZ_BINS) man

ASAN_MAKE = LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0 \
	ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
asan:
	$(ASAN_MAKE) check
asan-build:
	$(ASAN_MAKE) check-build

# The integration suite under valgrind: the test process (client library,
# harness) and every daemon it starts (GL_DAEMON_WRAPPER).  Any error, or a
# definite leak, fails the run (exit 99).  tests/valgrind.supp explains each
# suppression.  VALGRIND_FILTER narrows it, e.g. --filter 'transport/*'.
# By default the web suites are left out: what they add is the web server,
# a process of its own that valgrind does not wrap (make asan runs them
# with ASan and UBSan), while the daemon requests they make are the other
# suites' (about 100 daemon starts under valgrind for nothing new).
# Left out too: the three *_in_chromium tests (statements, statement_models:
# 76 s of make check's 500, the slowest three but one), whose own part is
# a browser rendering the CLI's HTML file, neither process under valgrind,
# after the same daemon requests as their suites' other tests; and
# group_pages' test of a member with 75000 accounts (23 s in make check), a
# test of scale and concurrency whose requests are the small group tests'
# 75000 times over.  make check and make asan run all four.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --suppressions=$(abspath tests/valgrind.supp)
VALGRIND_FILTER ?= --filter '!(web_*)/!(*_in_chromium|a_member_with_75000_accounts_*)'
valgrind: all $(BUILD)/test_integration
	GL_BUILD=$(abspath $(BUILD)) GL_DAEMON_WRAPPER="$(VALGRIND)" \
	  $(VALGRIND) $(BUILD)/test_integration --jobs=2 $(VALGRIND_FILTER)

FUZZ_SECONDS ?= 60
fuzz:
	sh scripts/fuzz $(FUZZ_SECONDS)

demo: all
	bash scripts/demo

bench: all $(BUILD)/loadgen
	GL_BUILD=$(abspath $(BUILD)) bash scripts/bench

crashtest: all $(BUILD)/gltorture $(BUILD)/libgliolog.so
	GL_BUILD=$(abspath $(BUILD)) bash scripts/crashtest

soak: all $(BUILD)/gltorture
	GL_BUILD=$(abspath $(BUILD)) bash scripts/soak

# Blocks of DUP_MIN_LINES or more identical lines (comments and layout
# aside: --mode weak skips comments) found twice or more in daemon/, proto/
# and client/ (not tests/):
# fails on any.  What is repeated on purpose (the two statement models,
# data tables) is marked jscpd:ignore-start/end where it stands.  jscpd
# comes from the npm registry (scripts/bootstrap installs it); .ci/run runs it.
DUP_MIN_LINES ?= 6
dupcheck:
	@command -v jscpd >/dev/null || { echo "dupcheck: jscpd missing: run 'sh scripts/bootstrap' as root" >&2; exit 1; }
	jscpd --min-lines $(DUP_MIN_LINES) --mode weak --format c --formats-exts 'c:c,h' --no-colors --reporters console \
	  --exit-code 1 daemon proto client

# The layout of every C file is .clang-format's (Debian's clang-format 14):
# `make format` rewrites the tree, `make format-check` (in .ci/run) fails on
# any file that differs.
FORMAT_FILES = $(shell find proto daemon client tests -name '*.[ch]' | sort)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	@command -v clang-format >/dev/null || { echo "format-check: clang-format missing: run 'sh scripts/bootstrap' as root" >&2; exit 1; }
	clang-format --dry-run -Werror $(FORMAT_FILES)

install: all man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 0755 $(BUILD)/grandlivred $(BUILD)/grandlivre $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(BUILD)/libgrandlivre.a $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 client/lib/grandlivre.h $(DESTDIR)$(PREFIX)/include/
	install -d $(DESTDIR)$(PREFIX)/include/grandlivre/proto
	install -m 0644 proto/*.h $(DESTDIR)$(PREFIX)/include/grandlivre/proto/
	sed -e 's|@PREFIX@|$(PREFIX)|g' client/lib/grandlivre.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/grandlivre.pc
	install -d $(DESTDIR)$(PREFIX)/share/locale/fr/LC_MESSAGES
	install -m 0644 $(BUILD)/locale/fr/LC_MESSAGES/grandlivre.mo $(DESTDIR)$(PREFIX)/share/locale/fr/LC_MESSAGES/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0644 $(MAN_DIR)/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 $(MAN_DIR)/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0644 completion/grandlivre.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/grandlivre

# The manual pages (grandlivre(1), grandlivred(8), one per group of commands:
# man/pages), written by scripts/help2roff from the programs' own --help
# whenever they are rebuilt, so that a page cannot drift from its command.
MAN_DIR := $(BUILD)/man
.PHONY: man docs-check
man: $(MAN_DIR)/.stamp
$(MAN_DIR)/.stamp: $(BUILD)/grandlivre $(BUILD)/grandlivred man/pages scripts/help2roff
	python3 scripts/help2roff $(BUILD) $(MAN_DIR)
	@touch $@

# The documentation's tests (tests/docs/, part of make check): the manual
# pages render and show every option of their --help, make install puts
# every file in place, the bash completion completes, and the README's three
# paths run as written against a sandbox.
docs-check: all man
	@command -v groff >/dev/null || { echo "docs-check: groff missing: run 'sh scripts/bootstrap' as root" >&2; exit 1; }
	python3 tests/docs/test_man $(BUILD) $(MAN_DIR)
	sh tests/docs/test_install "$(MAKE)" $(BUILD)
	bash tests/docs/test_completion $(abspath $(BUILD))
	bash tests/docs/test_readme $(abspath $(BUILD))
check: docs-check

# grandlivre web in a real browser (tests/web/, part of make check): Debian's
# chromium driven by chromedriver through python3-selenium, run by
# /usr/bin/python3 (whose modules those are); screenshots of every page in
# $(BUILD)/test-output/web/.
.PHONY: web-check
web-check: all
	@test -x /usr/bin/chromedriver && /usr/bin/python3 -c 'import selenium' 2>/dev/null || \
	  { echo "web-check: chromium-driver or python3-selenium missing: run 'sh scripts/bootstrap' as root" >&2; exit 1; }
	set -e; for t in tests/web/test_*.py; do /usr/bin/python3 $$t $(abspath $(BUILD)); done
check: web-check

# The generated data's tests (tests/data/, part of make check): the group's
# year (scripts/gen-group-year) has the late, partial and unpaid user
# invoices of issue 17, and its truth files agree with its FEC files; its
# bank statements (issue 18) are read by the client and agree with the books;
# its analytic year (issue 19: grants, allocations, payroll journals, time
# sheets) agrees with its books too; its fixed assets (issue 20) are in its
# books and their plans, computed independently, are
# tests/data/assets-expected-<year>.csv.
.PHONY: data-check
data-check: $(BUILD)/grandlivre
	@if [ -z "$(SAN)" ]; then python3 tests/data/test_group_year && python3 tests/data/test_analytic_year \
	  && python3 tests/data/test_assets_year; \
	  else echo "data-check: test_group_year, test_analytic_year and test_assets_year are Python alone, not run again under the sanitizers"; fi
	python3 tests/data/test_bank_year $(abspath $(BUILD))
check: data-check

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
