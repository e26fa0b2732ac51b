# Sampark — one flat Makefile.
#
#   make            build build/sampark
#   make run        install missing packages, build, start the daemon (console provider)
#   make test       install missing packages, build, run every test (plain and ASan/UBSan)
#   make bench      benchmarks (see bench/README.md)
#
# SANITIZE=1 builds into build/asan with AddressSanitizer and UBSan.

CC	?= cc
PKGS	 = libevent libcurl sqlite3 libutf8proc libcrypto jansson
CFLAGS	?= -O2 -g
WARN	 = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wshadow -Werror
CPPFLAGS_ALL = -std=c11 -D_GNU_SOURCE -Igateway -Ihandlers $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS	 = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

ifeq ($(SANITIZE),1)
BUILD	?= build/asan
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD	?= build
SANFLAGS =
endif

# The explicit source lists: one module = one .c + one .h.
GATEWAY_SRC = \
	gateway/util.c \
	gateway/log.c \
	gateway/crypto.c \
	gateway/form.c \
	gateway/csv.c \
	gateway/config.c \
	gateway/store.c \
	gateway/store_outbox.c \
	gateway/phone.c \
	gateway/provider.c \
	gateway/provider_table.c \
	gateway/provider_console.c \
	gateway/provider_twilio.c \
	gateway/provider_plivo.c \
	gateway/provider_exotel.c \
	gateway/provider_android.c \
	gateway/runtime.c \
	gateway/directory.c \
	gateway/sender.c \
	gateway/admin.c \
	gateway/daemon.c \
	gateway/http.c \
	gateway/cmd.c \
	gateway/cmd_import.c \
	gateway/cmd_export.c \
	gateway/cmd_outbox.c

HANDLER_SRC = \
	handlers/text.c \
	handlers/alias.c \
	handlers/keywords.c \
	handlers/district.c \
	handlers/segment.c \
	handlers/prompts.c \
	handlers/router.c \
	handlers/handler.c \
	handlers/handler_info.c \
	handlers/handler_help.c \
	handlers/handler_more.c

LIB_SRC	= $(GATEWAY_SRC) $(HANDLER_SRC)
LIB_OBJ	= $(LIB_SRC:%.c=$(BUILD)/obj/%.o)

# Each unit test links only the modules it exercises.
UNIT_TESTS = util text alias keywords district segment crypto form csv config \
	prompts store phone provider_twilio provider_console router \
	provider_exotel provider_android provider_plivo
UT_util			= gateway/util gateway/log
UT_text			= handlers/text $(UT_util)
UT_alias		= handlers/alias $(UT_text)
UT_keywords		= handlers/keywords $(UT_alias)
UT_district		= handlers/district gateway/csv $(UT_alias)
UT_segment		= handlers/segment $(UT_util)
UT_crypto		= gateway/crypto $(UT_util)
UT_form			= gateway/form $(UT_util)
UT_csv			= gateway/csv handlers/text $(UT_util)
UT_config		= gateway/config $(UT_util)
UT_prompts		= handlers/prompts handlers/text $(UT_util)
UT_store		= gateway/store gateway/store_outbox $(UT_util)
UT_phone		= gateway/phone $(UT_util)
# What every provider adapter links; the adapter under test adds itself.
UT_providers		= gateway/provider gateway/phone gateway/form gateway/crypto handlers/text $(UT_util)
UT_provider_twilio	= gateway/provider_twilio $(UT_providers)
UT_provider_android	= gateway/provider_android $(UT_providers)
UT_provider_exotel	= gateway/provider_exotel $(UT_providers)
UT_provider_plivo	= gateway/provider_plivo $(UT_providers)
UT_provider_console	= gateway/provider_console gateway/provider_twilio gateway/provider_exotel gateway/provider_android gateway/provider_plivo gateway/provider_table $(UT_providers)
UT_router		= handlers/router handlers/handler handlers/handler_info handlers/handler_help handlers/handler_more \
			  handlers/keywords handlers/district gateway/csv handlers/segment handlers/prompts gateway/store gateway/store_outbox $(UT_alias)

UNIT_BINS = $(UNIT_TESTS:%=$(BUILD)/tests/test_%)

.PHONY: all deps run test unit integration asan bench clean
.SECONDARY:

all: $(BUILD)/sampark

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(SANFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/sampark: $(BUILD)/obj/gateway/main.o $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS)

# Unit test binaries: test file + the objects named in UT_<name>.
.SECONDEXPANSION:
$(BUILD)/tests/test_%: $(BUILD)/obj/tests/test_%.o $$(addprefix $(BUILD)/obj/,$$(addsuffix .o,$$(sort $$(UT_$$*))))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- set-up ----

# Debian packages the build, the tests and the benchmark need.  Installed
# only when missing, so a machine that has them all is left alone.
DEB_PACKAGES = gcc make pkg-config libevent-dev libcurl4-openssl-dev \
	libsqlite3-dev libcmocka-dev libjansson-dev libutf8proc-dev libssl-dev \
	python3 curl wrk sqlite3
deps:
	@./tools/deps.sh $(DEB_PACKAGES)

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
	@./tools/summary.sh

bench: deps all
	@./bench/run.sh $(BUILD)/sampark

clean:
	rm -rf build
