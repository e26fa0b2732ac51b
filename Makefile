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
PKGS	 = libevent libcurl sqlite3 libutf8proc libcrypto jansson
CFLAGS	?= -O2 -g
WARN	 = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wshadow -Werror
CPPFLAGS_ALL = -std=c11 -D_GNU_SOURCE -Igateway -Ihandlers $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
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

# The explicit source lists: one module = one .c + one .h.
GATEWAY_SRC = \
	gateway/util.c \
	gateway/log.c \
	gateway/crypto.c \
	gateway/form.c \
	gateway/jscan.c \
	gateway/csv.c \
	gateway/config.c \
	gateway/store.c \
	gateway/store_outbox.c \
	gateway/store_interactions.c \
	gateway/store_directory.c \
	gateway/store_voice.c \
	gateway/store_backup.c \
	gateway/store_checkpoint.c \
	gateway/store_contacts.c \
	gateway/store_broadcast.c \
	gateway/audience.c \
	gateway/phone.c \
	gateway/provider.c \
	gateway/provider_table.c \
	gateway/provider_console.c \
	gateway/provider_twilio.c \
	gateway/provider_plivo.c \
	gateway/provider_exotel.c \
	gateway/provider_android.c \
	gateway/provider_voice.c \
	gateway/provider_twilio_voice.c \
	gateway/provider_plivo_voice.c \
	gateway/provider_exotel_voice.c \
	gateway/runtime.c \
	gateway/directory.c \
	gateway/sender.c \
	gateway/abuse.c \
	gateway/metrics.c \
	gateway/suppress.c \
	gateway/report.c \
	gateway/report_render.c \
	gateway/report_xtab.c \
	gateway/report_collect.c \
	gateway/store_report.c \
	gateway/analytics.c \
	gateway/cmd_report.c \
	gateway/admin.c \
	gateway/daemon.c \
	gateway/voice.c \
	gateway/voice_audio.c \
	gateway/http.c \
	gateway/cmd.c \
	gateway/cmd_import.c \
	gateway/cmd_export.c \
	gateway/cmd_outbox.c \
	gateway/cmd_broadcast.c \
	gateway/cmd_contacts.c \
	gateway/api_groups.c \
	gateway/templates.c \
	gateway/schedule.c \
	gateway/broadcast.c \
	gateway/notice.c \
	gateway/api_broadcasts.c \
	gateway/cmd_check.c \
	gateway/cmd_explain.c \
	gateway/cmd_backup.c

HANDLER_SRC = \
	handlers/text.c \
	handlers/alias.c \
	handlers/keywords.c \
	handlers/district.c \
	handlers/segment.c \
	handlers/prompts.c \
	handlers/understand.c \
	handlers/understand_load.c \
	handlers/router.c \
	handlers/handler.c \
	handlers/handler_choose.c \
	handlers/handler_info.c \
	handlers/handler_help.c \
	handlers/ivr.c \
	handlers/handler_more.c \
	handlers/handler_join.c \
	handlers/handler_name.c \
	handlers/handler_lang.c \
	handlers/handler_stop.c \
	handlers/handler_start.c \
	handlers/handler_notice.c \
	handlers/handler_rsvp.c

LIB_SRC	= $(GATEWAY_SRC) $(HANDLER_SRC)
LIB_OBJ	= $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/dashboard_html.o

# Each unit test links only the modules it exercises.
UNIT_TESTS = util abuse text alias keywords district segment crypto form csv config \
	prompts store phone provider_twilio provider_console router \
	provider_exotel provider_android provider_plivo ivr voice_render store_voice config_doc store_backup \
	audience store_contacts handlers_contacts metrics report \
	templates schedule jscan suppress understand eval
UT_util			= gateway/util gateway/log
UT_text			= handlers/text $(UT_util)
UT_alias		= handlers/alias $(UT_text)
UT_keywords		= handlers/keywords $(UT_alias)
UT_district		= handlers/district gateway/csv $(UT_alias)
UT_segment		= handlers/segment $(UT_util)
UT_crypto		= gateway/crypto $(UT_util)
UT_form			= gateway/form $(UT_util)
UT_jscan		= gateway/jscan tests/jscan_ref $(UT_util)
UT_csv			= gateway/csv handlers/text $(UT_util)
UT_config		= gateway/config $(UT_util)
UT_config_doc		= gateway/config $(UT_util)
UT_store_backup		= $(UT_store)
UT_prompts		= handlers/prompts handlers/text $(UT_util)
STORE_OBJS		= gateway/store gateway/store_outbox gateway/store_interactions gateway/store_directory gateway/store_voice gateway/store_backup gateway/store_checkpoint gateway/store_contacts gateway/audience gateway/store_report gateway/store_broadcast $(UT_util)
# Store tests also check the query plans of what they prepared.
UT_store		= tests/plan_check $(STORE_OBJS)
UT_phone		= gateway/phone $(UT_util)
UT_abuse		= gateway/abuse gateway/config gateway/metrics $(UT_util)
# What every provider adapter links; the adapter under test adds itself.
UT_providers		= gateway/provider gateway/phone gateway/form gateway/jscan gateway/crypto handlers/text $(UT_util)
UT_provider_twilio	= gateway/provider_twilio gateway/provider_twilio_voice gateway/provider_voice $(UT_providers)
UT_provider_android	= gateway/provider_android $(UT_providers)
UT_provider_exotel	= gateway/provider_exotel gateway/provider_exotel_voice gateway/provider_voice $(UT_providers)
UT_provider_plivo	= gateway/provider_plivo gateway/provider_plivo_voice gateway/provider_voice $(UT_providers)
UT_voice_render		= gateway/provider_twilio gateway/provider_plivo gateway/provider_exotel gateway/provider_twilio_voice gateway/provider_plivo_voice gateway/provider_exotel_voice gateway/provider_voice $(UT_providers)
UT_store_voice		= $(UT_store)
UT_ivr			= handlers/ivr handlers/prompts handlers/district gateway/csv $(UT_alias)
UT_provider_console	= gateway/provider_console gateway/provider_twilio gateway/provider_exotel gateway/provider_android gateway/provider_plivo gateway/provider_table gateway/provider_twilio_voice gateway/provider_exotel_voice gateway/provider_plivo_voice gateway/provider_voice $(UT_providers)
UT_router		= handlers/router handlers/understand handlers/understand_load handlers/handler_choose handlers/handler handlers/handler_info handlers/handler_help handlers/handler_more \
			  handlers/handler_join handlers/handler_name handlers/handler_lang handlers/handler_stop handlers/handler_start handlers/handler_notice handlers/handler_rsvp \
			  handlers/keywords handlers/district gateway/csv handlers/segment handlers/prompts gateway/store gateway/store_checkpoint gateway/store_outbox gateway/store_interactions gateway/store_directory gateway/store_contacts gateway/audience $(UT_alias)
UT_audience		= $(UT_store)
UT_store_contacts	= $(UT_store)
UT_metrics		= gateway/metrics $(UT_util)
UT_report		= gateway/report gateway/report_render gateway/report_xtab gateway/suppress gateway/crypto gateway/csv handlers/text $(UT_util)
UT_suppress		= gateway/suppress $(UT_util)
UT_handlers_contacts	= $(UT_router)
UT_eval			= tests/eval/eval_lib gateway/directory gateway/csv $(UT_router)
UT_understand		= handlers/understand handlers/understand_load handlers/keywords handlers/district gateway/csv $(UT_alias)
UT_templates		= gateway/templates handlers/text $(UT_util)
UT_schedule		= gateway/schedule $(UT_util)

UNIT_BINS = $(UNIT_TESTS:%=$(BUILD)/tests/test_%)

.PHONY: all deps run test unit integration asan bench clean fuzz fuzz-short fuzz-build prompts
.SECONDARY:

all: $(BUILD)/sampark

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(SANFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/sampark: $(BUILD)/obj/gateway/main.o $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(ALLOC_LIBS) $(LIBS)

# Unit test binaries: test file + the objects named in UT_<name>.
.SECONDEXPANSION:
$(BUILD)/tests/test_%: $(BUILD)/obj/tests/test_%.o $$(addprefix $(BUILD)/obj/,$$(addsuffix .o,$$(sort $$(UT_$$*))))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# The dashboard page, embedded in the binary: tools/embed turns
# dashboard/index.html into a C array.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<
$(BUILD)/gen/dashboard_html.c: dashboard/index.html $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed dashboard_html < $< > $@.tmp && mv $@.tmp $@
$(BUILD)/obj/gen/dashboard_html.o: $(BUILD)/gen/dashboard_html.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(SANFLAGS) $(WARN) -c $< -o $@

# ---- set-up ----

# Debian packages the build, the tests and the benchmark need.  Installed
# only when missing, so a machine that has them all is left alone.
DEB_PACKAGES = gcc make pkg-config libevent-dev libcurl4-openssl-dev \
	libsqlite3-dev libcmocka-dev libjansson-dev libutf8proc-dev libssl-dev \
	libmimalloc-dev \
	python3 curl wrk sqlite3 clang libclang-rt-14-dev \
	chromium fonts-noto-core nginx prometheus
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

unit: $(UNIT_BINS)
	@./tools/run-unit.sh $(UNIT_BINS)

integration: all
	@SAMPARK_BIN=$(BUILD)/sampark python3 tests/integration/run.py

# The whole suite: plain build, then everything again under ASan/UBSan.
test: deps
	@rm -f build/test-results.txt
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory SANITIZE=1 all unit
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory SANITIZE=1 integration
	@$(MAKE) --no-print-directory fuzz-short
	@./tools/summary.sh

bench: deps all
	@./bench/run.sh $(BUILD)/sampark

# The labelled corpus (tests/eval/README.md) through the real router:
# accuracy per group, opt-outs missed, wrong-category sends, confusions.
EVAL_OBJ = $(addprefix $(BUILD)/obj/,$(addsuffix .o,tests/eval/eval $(sort $(UT_eval))))
$(BUILD)/tests/eval: $(EVAL_OBJ)
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
FUZZ_BUILD	 = build/fuzz
FUZZ_FLAGS	 = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS	 = form text keyword_match segment escape phone signature \
	config keywords districts prompts csv import ivr audience \
	provider_twilio provider_console provider_exotel provider_plivo provider_android \
	jscan
FUZZ_base		= tests/fuzz/fuzz_common $(UT_util)
FUZZ_form		= gateway/form $(FUZZ_base)
FUZZ_jscan		= gateway/jscan tests/jscan_ref $(FUZZ_base)
FUZZ_text		= handlers/text $(FUZZ_base)
FUZZ_keyword_match	= handlers/keywords handlers/district gateway/csv handlers/alias handlers/text $(FUZZ_base)
FUZZ_segment		= handlers/segment handlers/text $(FUZZ_base)
FUZZ_escape		= handlers/text $(FUZZ_base)
FUZZ_phone		= gateway/phone $(FUZZ_base)
FUZZ_signature		= $(UT_provider_twilio) $(UT_provider_plivo) $(FUZZ_base)
FUZZ_config		= gateway/config $(FUZZ_base)
FUZZ_keywords		= handlers/keywords handlers/alias handlers/text $(FUZZ_base)
FUZZ_districts		= handlers/district gateway/csv handlers/alias handlers/text $(FUZZ_base)
FUZZ_prompts		= handlers/prompts handlers/text $(FUZZ_base)
FUZZ_csv		= gateway/csv handlers/text $(FUZZ_base)
# fuzz_import includes cmd_import.c (its checks are static), so links what it calls.
FUZZ_import		= gateway/cmd gateway/config gateway/csv gateway/phone handlers/keywords handlers/district \
			  $(STORE_OBJS) $(UT_alias) $(FUZZ_base)
FUZZ_ivr		= handlers/ivr handlers/prompts handlers/district gateway/csv handlers/alias handlers/text $(FUZZ_base)
FUZZ_audience		= gateway/audience $(FUZZ_base)
# A provider target links what the adapter's unit test links.
FUZZ_providers		= tests/fuzz/fuzz_provider gateway/provider_voice $(FUZZ_base)
FUZZ_provider_twilio	= $(UT_provider_twilio) $(FUZZ_providers)
FUZZ_provider_console	= gateway/provider_console $(UT_providers) $(FUZZ_providers)
FUZZ_provider_exotel	= $(UT_provider_exotel) $(FUZZ_providers)
FUZZ_provider_plivo	= $(UT_provider_plivo) $(FUZZ_providers)
FUZZ_provider_android	= $(UT_provider_android) $(FUZZ_providers)
FUZZ_BINS = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS_ALL) -Itests/fuzz $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(WARN) -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o $$(addprefix $(FUZZ_BUILD)/obj/,$$(addsuffix .o,$$(sort $$(FUZZ_$$*))))
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
