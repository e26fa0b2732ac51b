# Sampark — one flat Makefile.
#
#   make            build build/sampark
#   make run        install missing packages, build, start the daemon (console provider)
#   make test       install missing packages, build, run every test (plain and ASan/UBSan)
#   make bench      benchmarks (see bench/README.md)
#   make eval       the labelled message corpus through the router (tests/eval/README.md)
#   make soak       ten minutes of mixed load: memory, descriptors, errors
#   make install    install (PREFIX=/usr/local, DESTDIR honoured; docs/operations.md)
#
# SANITIZE=1 builds into build/asan with AddressSanitizer and UBSan.

CC	?= cc
PKGS	 = libevent libcurl sqlite3 libpq libutf8proc libcrypto jansson
CFLAGS	?= -O2 -g
WARN	 = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wshadow -Werror
CPPFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS	 = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

# The daemon's allocator is mimalloc (Debian's libmimalloc-dev): a webhook
# makes some eighty small allocations in SQLite, libevent and ours, and
# glibc's malloc took 9% of the daemon's time on them (consolidating its
# fast bins among other things); with mimalloc the inbound benchmark does
# 6% more.  Linked, not preloaded, it serves every library of the process.
# The sanitizer build keeps ASan's own allocator, and valgrind needs
# --soname-synonyms=somalloc=libmimalloc.so* to see the daemon's memory.
ifeq ($(SANITIZE),1)
BUILD	?= build/asan
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ALLOC_LIBS =
else
BUILD	?= build
SANFLAGS =
ALLOC_LIBS = -lmimalloc
endif

# Sources are picked up by folder: a module added to a room is built
# without touching this file.  Everything but main.c goes into
# libsampark.a, which the daemon, the unit tests, the evaluation and the
# fuzzers link.
FUZZ_BUILD = build/fuzz
ROOMS	 = lib store providers handlers services outreach report admin daemon cli
room_dir = $(if $(filter handlers,$(1)),handlers,gateway/$(1))
LIB_SRC	 = $(filter-out gateway/cli/main.c,$(foreach r,$(ROOMS),$(wildcard $(call room_dir,$(r))/*.c)))
# The admin listener's pages, gateway/admin/NAME.html, each embedded in
# the binary as the C array NAME_html (tools/embed).
PAGES	 = $(patsubst gateway/admin/%.html,%,$(wildcard gateway/admin/*.html))
LIB_OBJ	 = $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(PAGES:%=$(BUILD)/obj/gen/%_html.o)

# The dependency rule (docs/architecture.md), enforced by the compiler:
# each room is compiled with the include folders of the rooms it may use
# and no others, so an include that crosses the rule fails the build.
# tools/check-includes.sh adds what include paths cannot say (which
# files may include sqlite3, curl and libevent's HTTP).
USES_lib	 = lib
USES_store	 = store lib
USES_providers	 = providers lib
USES_handlers	 = handlers lib
USES_services	 = services outreach store providers handlers lib
USES_outreach	 = outreach store providers handlers lib
USES_report	 = report store handlers lib
USES_admin	 = admin report outreach services store providers handlers lib
USES_daemon	 = daemon admin outreach services store providers handlers lib
USES_cli	 = $(ROOMS)
room_includes = $(foreach u,$(USES_$(1)),-iquote $(call room_dir,$(u)))
$(foreach r,$(ROOMS),$(eval $(BUILD)/obj/$(call room_dir,$(r))/%.o: ROOM_INC = $(call room_includes,$(r))))
$(foreach r,$(ROOMS),$(eval $(FUZZ_BUILD)/obj/$(call room_dir,$(r))/%.o: ROOM_INC = $(call room_includes,$(r))))
# Tests, fuzzers, the evaluation and generated code see every room.
ALL_INC	 = $(call room_includes,cli) -iquote tests -iquote tests/fuzz

# Unit tests are tests/test_<name>.c, each one binary; the helpers of
# tests/ (no main) go into a small library of their own.
UNIT_TESTS   = $(patsubst tests/test_%.c,%,$(wildcard tests/test_*.c))
TEST_SUPPORT = $(filter-out tests/test_%.c,$(wildcard tests/*.c)) tests/eval/eval_lib.c
UNIT_BINS = $(UNIT_TESTS:%=$(BUILD)/tests/test_%)

.PHONY: all deps run test unit unit-pg integration integration-pg asan bench clean fuzz fuzz-short fuzz-build prompts
.SECONDARY:

all: $(BUILD)/sampark

ROOM_INC ?= $(ALL_INC)
$(BUILD)/obj/%.o: %.c | $(BUILD)/includes.ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(ROOM_INC) $(CFLAGS) $(SANFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/includes.ok: tools/check-includes.sh $(LIB_SRC) $(wildcard gateway/*/*.h handlers/*.h)
	@mkdir -p $(dir $@)
	@./tools/check-includes.sh && touch $@

$(BUILD)/libsampark.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(BUILD)/libsampark_test.a: $(TEST_SUPPORT:%.c=$(BUILD)/obj/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/sampark: $(BUILD)/obj/gateway/cli/main.o $(BUILD)/libsampark.a
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(ALLOC_LIBS) $(LIBS)

# Unit test binaries: the test file and the two libraries; the linker
# takes from them only what the test uses.
$(BUILD)/tests/test_%: $(BUILD)/obj/tests/test_%.o $(BUILD)/libsampark_test.a $(BUILD)/libsampark.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

# Handlers and the router reach the world only through their context's
# ops, so their tests run on a fake one (tests/fake_ops.h): linked without
# SQLite, such a test fails to link if it pulls in the store.
SQLITE_FREE_TESTS = router handlers handlers_contacts
$(SQLITE_FREE_TESTS:%=$(BUILD)/tests/test_%): LIBS := $(filter-out -lsqlite3,$(LIBS))

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# The pages (PAGES above), embedded in the binary: tools/embed turns
# gateway/admin/NAME.html into the C array NAME_html, with the shared
# gateway/admin/head.inc put in place of its "#include head.inc" line:
# the meta tags every page shares, among them the pages' one
# Content-Security-Policy (nothing from outside the daemon).
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<
$(BUILD)/gen/%_html.c: gateway/admin/%.html gateway/admin/head.inc $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	awk '$$0 == "<!--#include head.inc-->" { \
	    while ((getline l < "gateway/admin/head.inc") > 0) print l; next } \
	    { print }' $< | $(BUILD)/tools/embed $*_html > $@.tmp && mv $@.tmp $@
$(BUILD)/obj/gen/%_html.o: $(BUILD)/gen/%_html.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(ALL_INC) $(CFLAGS) $(SANFLAGS) $(WARN) -c $< -o $@

# ---- set-up ----

# Debian packages the build, the tests and the benchmark need.  Installed
# only when missing, so a machine that has them all is left alone.
DEB_PACKAGES = gcc make pkg-config libevent-dev libcurl4-openssl-dev \
	libsqlite3-dev libpq-dev postgresql-15 python3-psycopg2 libcmocka-dev libjansson-dev libutf8proc-dev libssl-dev \
	libmimalloc-dev \
	python3 curl wrk sqlite3 clang libclang-rt-14-dev \
	chromium chromium-driver python3-selenium fonts-noto-core nginx haproxy \
	prometheus libreoffice-calc-nogui
deps:
	@./tools/deps.sh $(DEB_PACKAGES)

# ---- audio prompts ----

# Every prompt of prompts/<lang>.txt as 8 kHz mono WAV under
# prompts/audio/<lang>/ (espeak-ng), for providers without Hindi speech;
# recordings put there are never overwritten (see tools/prompts-audio.sh).
prompts:
	@./tools/deps.sh espeak-ng sox
	@./tools/prompts-audio.sh prompts

# ---- run ----

RUN_DB	?= var/sampark.db
run: deps all
	@mkdir -p var
	@$(BUILD)/sampark import stakeholders config/stakeholders.csv --db $(RUN_DB) --if-empty
	@echo ""
	@echo "Sampark is starting on http://127.0.0.1:8080 (console provider). Send it a test SMS:"
	@echo ""
	@echo "  curl -s -X POST http://127.0.0.1:8080/sms/console --data-urlencode 'From=+919876500001' --data-urlencode 'Body=loan bhadohi'"
	@echo ""
	@echo "Stop it with Ctrl-C."
	@echo ""
	exec $(BUILD)/sampark serve -c config/sampark.conf --listen 127.0.0.1:8080 --db $(RUN_DB)

# ---- tests ----

# The tests of what stands on the store run a second time on PostgreSQL,
# in a throwaway cluster under $(BUILD)/pg (tools/with-pg.sh).
PG_UNIT_TESTS = store store_copy store_contacts store_voice audience broadcast \
	directory inbound report_canon resolve stakeholder_rows
PG_UNIT_BINS = $(PG_UNIT_TESTS:%=$(BUILD)/tests/test_%)

unit: $(UNIT_BINS)
	@./tools/run-unit.sh $(UNIT_BINS)
	@./tools/with-pg.sh $(BUILD)/pg ./tools/run-unit.sh $(PG_UNIT_BINS)

unit-pg: $(PG_UNIT_BINS)
	@./tools/with-pg.sh $(BUILD)/pg ./tools/run-unit.sh $(PG_UNIT_BINS)

integration: all
	@SAMPARK_BIN=$(BUILD)/sampark python3 tests/integration/run.py

# The same suite with every daemon on a fresh PostgreSQL database.
integration-pg: all
	@SAMPARK_BIN=$(BUILD)/sampark ./tools/with-pg.sh $(BUILD)/pg-it \
	    python3 tests/integration/run.py

# The whole suite: plain build (the store's unit tests and the integration
# suite on SQLite and on PostgreSQL), then everything again under ASan/UBSan.
test: deps
	@rm -f build/test-results.txt
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory SANITIZE=1 all unit
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory integration-pg
	@$(MAKE) --no-print-directory SANITIZE=1 integration
	@$(MAKE) --no-print-directory fuzz-short
	@./tools/summary.sh

bench: deps all
	@./bench/run.sh $(BUILD)/sampark

# The labelled corpus (tests/eval/README.md) through the real router:
# accuracy per group, opt-outs missed, wrong-category sends, confusions.
$(BUILD)/tests/eval: $(BUILD)/obj/tests/eval/eval.o $(BUILD)/libsampark_test.a $(BUILD)/libsampark.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS)
.PHONY: eval
eval: $(BUILD)/tests/eval
	@$(BUILD)/tests/eval tests/eval/corpus.tsv config prompts

# Ten minutes (SOAK_SECONDS) of mixed load; see bench/soak.sh.  Not part
# of `make test`.
.PHONY: soak
soak: deps all
	@./bench/soak.sh $(BUILD)/sampark

# ---- fuzzing ----

# libFuzzer targets tests/fuzz/fuzz_<target>.c, built with clang, ASan and
# UBSan into build/fuzz; each links the objects in FUZZ_<target>.  `make
# fuzz` runs each for FUZZ_SECONDS (FUZZ_JOBS at once); `make fuzz-short`
# (part of `make test`) replays tests/fuzz/regressions/ and runs each for
# FUZZ_SHORT_SECONDS.  See tools/run-fuzz.sh.
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_SHORT_SECONDS ?= 2
FUZZ_JOBS	?= 1
FUZZ_FLAGS	 = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS	 = $(filter-out common provider,$(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_LIB_OBJ = $(LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o) $(PAGES:%=$(FUZZ_BUILD)/obj/gen/%_html.o)
FUZZ_SUPPORT = tests/fuzz/fuzz_common.c tests/fuzz/fuzz_provider.c $(TEST_SUPPORT)

$(FUZZ_BUILD)/obj/%.o: %.c | $(BUILD)/includes.ok
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(ROOM_INC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(WARN) -MMD -MP -c $< -o $@
$(FUZZ_BUILD)/obj/gen/%_html.o: $(BUILD)/gen/%_html.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(ALL_INC) $(FUZZ_FLAGS) -c $< -o $@
$(FUZZ_BUILD)/libsampark.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(FUZZ_BUILD)/libsampark_test.a: $(FUZZ_SUPPORT:%.c=$(FUZZ_BUILD)/obj/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_BUILD)/libsampark_test.a $(FUZZ_BUILD)/libsampark.a
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)

fuzz-build: $(FUZZ_BINS)

fuzz: deps fuzz-build
	@./tools/run-fuzz.sh -j $(FUZZ_JOBS) $(FUZZ_SECONDS) $(FUZZ_BINS)

fuzz-short: fuzz-build
	@./tools/run-fuzz.sh -j $(FUZZ_JOBS) $(FUZZ_SHORT_SECONDS) $(FUZZ_BINS)

# ---- install ----

# PREFIX and DESTDIR as usual; configuration in /etc/sampark and state in
# /var/lib/sampark whatever PREFIX is (tools/install.sh does the work).
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/sampark
DOCDIR	?= $(PREFIX)/share/doc/sampark
SYSCONFDIR ?= /etc/sampark
STATEDIR ?= /var/lib/sampark
UNITDIR	?= $(PREFIX)/lib/systemd/system
INSTALL_ENV = BIN=$(BUILD)/sampark DESTDIR="$(DESTDIR)" BINDIR=$(BINDIR) \
	SHAREDIR=$(SHAREDIR) DOCDIR=$(DOCDIR) SYSCONFDIR=$(SYSCONFDIR) \
	STATEDIR=$(STATEDIR) UNITDIR=$(UNITDIR)
.PHONY: install uninstall

install: all
	@$(INSTALL_ENV) ./tools/install.sh install

uninstall: all
	@$(INSTALL_ENV) ./tools/install.sh uninstall

clean:
	rm -rf build
