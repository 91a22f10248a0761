# chainfuse — one Makefile: build, run, test, bench, asan, fuzz, clean.
# Sources are discovered by folder, so a new module needs no edit here.
CC      ?= cc
BUILD   ?= build
PYTHON  ?= /usr/bin/python3
PORT    ?= 8080
FUZZ_SECS ?= 20
DB      ?= var/chainfuse.db

PKGS    := libmicrohttpd jansson sqlite3 icu-uc icu-i18n libsodium igraph libpq xlsxwriter
DEPS_OK := $(shell pkg-config --exists $(PKGS) criterion 2>/dev/null && test -f /usr/include/csv.h && test -f /usr/include/lapacke.h && test -f /usr/include/glpk.h && echo yes)
ifneq ($(DEPS_OK),yes)
  $(info deps: installing missing packages with scripts/deps.sh)
  $(shell scripts/deps.sh >&2)
endif

WARN    := -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes -Wno-unused-parameter -Werror
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE -Isrc $(WARN) -MMD -MP $(shell pkg-config --cflags $(PKGS)) $(SAN)
LDLIBS  := $(shell pkg-config --libs $(PKGS)) -lcsv -lglpk -llapacke -lopenblas -lm -lpthread
LDFLAGS += $(SAN)

LIB_SRC := $(shell find src -name '*.c' ! -path 'src/cli/*' | sort)
CLI_SRC := $(shell find src/cli -name '*.c' | sort)
UT_SRC  := $(shell find tests/unit -name '*.c' 2>/dev/null | sort)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UT_OBJ  := $(UT_SRC:%.c=$(BUILD)/%.o)
# src/api objects register routes from constructors; link them into the binary directly, since
# an archive member referenced only by a constructor is never pulled from the archive.
API_OBJ := $(filter $(BUILD)/src/api/%,$(LIB_OBJ))

.PHONY: all run serve test test-unit test-py asan bench fuzz clean web

all: $(BUILD)/chainfuse web

# The browser UI: npm modules from the registry (package-lock.json), built with Vite into web/dist.
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.js web/package-lock.json
web: web/dist/index.html
web/dist/index.html: $(WEB_SRC)
	cd web && { test -d node_modules || npm ci --no-audit --no-fund; } && npx vite build --logLevel warn

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libchainfuse.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/chainfuse: $(CLI_OBJ) $(API_OBJ) $(BUILD)/libchainfuse.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(API_OBJ) $(BUILD)/libchainfuse.a $(LDLIBS)

$(BUILD)/test-unit: $(UT_OBJ) $(BUILD)/libchainfuse.a
	$(CC) $(LDFLAGS) -o $@ $(UT_OBJ) $(BUILD)/libchainfuse.a $(LDLIBS) $(shell pkg-config --libs criterion)

run: all
	@mkdir -p $(dir $(DB))
	@test -f $(DB) || $(BUILD)/chainfuse demo --db $(DB)
	@$(BUILD)/chainfuse user seed-demo --db $(DB) && $(BUILD)/chainfuse user list --demo --db $(DB)
	$(BUILD)/chainfuse serve --db $(DB) --port $(PORT)

# The whole suite, then the whole suite again under ASan + UBSan.
test:
	$(MAKE) test-unit test-py
	$(MAKE) BUILD=build-asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" CFLAGS="-O1 -g" test-unit test-py

test-unit: $(BUILD)/test-unit
	ASAN_OPTIONS=detect_leaks=1 $(BUILD)/test-unit --jobs 2

# The browser e2e test drives the built UI, so the suite builds it first.
test-py: $(BUILD)/chainfuse web
	CHAINFUSE_BIN=$(abspath $(BUILD)/chainfuse) ASAN_OPTIONS=detect_leaks=1 $(PYTHON) -m pytest -q -p no:cacheprovider tests; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

asan:
	$(MAKE) BUILD=build-asan SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" CFLAGS="-O1 -g" test-unit test-py

bench: all
	@for b in bench/*/run bench/run-*; do [ -x "$$b" ] && CHAINFUSE_BIN=$(abspath $(BUILD)/chainfuse) "$$b"; done; true

# Every tests/fuzz/run* script builds its libFuzzer drivers with clang and runs them briefly.
fuzz:
	$(MAKE) -s BUILD=build-fuzz CC=clang SAN="-fsanitize=fuzzer-no-link,address,undefined" CFLAGS="-O1 -g" build-fuzz/libchainfuse.a
	@for r in tests/fuzz/run*; do [ -x "$$r" ] || continue; "$$r" $(FUZZ_SECS) || exit 1; done

clean:
	rm -rf build build-asan

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UT_OBJ:.o=.d)
