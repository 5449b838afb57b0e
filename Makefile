# hubassoc: a plain GNU Makefile.  `make run` and `make check` set up what
# they need (see `deps`), build, and run.
#
#   make [all]        build build/hubassoc
#   make run          the program on the built-in sandbox
#   make check        every test layer; one total line at the end
#   make asan         the whole suite under AddressSanitizer and UBSan
#   make fuzz         the fuzz targets under libFuzzer (clang), FUZZ_SECONDS each
#   make bench        the benchmarks in tests/bench (BENCH="tui ..." picks)
#   make deps         install missing packages (Debian/Ubuntu) or list them
#   make install / uninstall   honour PREFIX and DESTDIR
#   make clean
#
# Variables: PREFIX, DESTDIR, PKG_CONFIG, CC, CFLAGS, LDFLAGS, WERROR=1,
# V=1 (show commands), BUILD (output directory).

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share/hubassoc
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DESTDIR    ?=
PKG_CONFIG ?= pkg-config
BUILD      ?= build
CFLAGS     ?= -O2 -g
WERROR     ?= 0
SAN        ?= 0

# Recursively expanded: pkg-config runs when a recipe needs it, after
# `deps` had a chance to install what was missing.
CURSES_PC  = $(shell $(PKG_CONFIG) --exists ncursesw && echo ncursesw || echo ncurses)
CORE_PC    = libcurl libcjson
APP_PC     = $(CURSES_PC) libcurl libcjson readline libmicrohttpd
pc_cflags  = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs    = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)
# Systems without readline.pc still have the library.
READLINE_LIBS = $(if $(shell $(PKG_CONFIG) --exists readline && echo y),,-lreadline)

WARN       = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARN      += -Werror
endif
ifeq ($(SAN),1)
CFLAGS     = -O1 -g -fno-omit-frame-pointer
SANFLAGS   = -fsanitize=address,undefined -fno-sanitize-recover=undefined
endif
# make fuzz: clang's libFuzzer drives the fuzz targets instead of driver.c.
ifeq ($(LIBFUZZER),1)
SANFLAGS  += -fsanitize=fuzzer-no-link
FUZZ_MAIN  = -fsanitize=fuzzer
else
FUZZ_MAIN  = tests/fuzz/driver.c
endif

ALL_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DHUBASSOC_DATADIR='"$(DATADIR)"' $(CPPFLAGS)
ALL_CFLAGS   = -std=c17 $(WARN) $(CFLAGS) $(SANFLAGS) -MMD -MP
ALL_LDFLAGS  = $(LDFLAGS) $(SANFLAGS)

CORE_SRC   = $(wildcard src/core/*.c)
APP_SRC    = $(wildcard src/cli/*.c src/tui/*.c src/tui/views/*.c src/sandbox/*.c)
THEMES     = $(wildcard themes/*.theme)
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
CORE_OBJ   = $(CORE_SRC:%.c=$(BUILD)/%.o)
APP_OBJ    = $(APP_SRC:%.c=$(BUILD)/%.o) $(BUILD)/themes.o
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC   = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN   = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)
# The parts of the TUI that need no terminal, for the unit tests.
TUI_PURE   = $(BUILD)/src/tui/keys.o $(BUILD)/src/tui/actions.o
CORE_LIB   = $(BUILD)/libhubassoc.a
BIN        = $(BUILD)/hubassoc

ifeq ($(V),1)
Q =
quiet =
else
Q = @
quiet = @printf '  %-6s %s\n' $(1) $(2);
endif

.PHONY: all run check test asan fuzz bench deps install uninstall clean man-keys

all: $(BIN) $(UNIT_BIN) $(FUZZ_BIN)

$(BUILD)/src/core/%.o: src/core/%.c
	@mkdir -p $(@D)
	$(call quiet,CC,$<)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(call pc_cflags,$(CORE_PC)) -c -o $@ $<

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(call quiet,CC,$<)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(call pc_cflags,$(APP_PC)) -c -o $@ $<

# The themes, carried in the binary.
$(BUILD)/themes.c: $(THEMES) src/tui/embed-themes.sh
	@mkdir -p $(@D)
	$(call quiet,GEN,$@)sh src/tui/embed-themes.sh $(THEMES) > $@

$(BUILD)/themes.o: $(BUILD)/themes.c
	$(call quiet,CC,$<)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(CORE_LIB): $(CORE_OBJ)
	$(call quiet,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(BIN): $(APP_OBJ) $(CORE_LIB)
	$(call quiet,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(APP_OBJ) $(CORE_LIB) $(call pc_libs,$(APP_PC)) $(READLINE_LIBS) -lm

$(BUILD)/tests/%: tests/unit/%.c $(CORE_LIB) $(TUI_PURE)
	@mkdir -p $(@D)
	$(call quiet,CC,$<)$(CC) $(ALL_CPPFLAGS) -Isrc/tui $(ALL_CFLAGS) $(call pc_cflags,$(CORE_PC) cmocka) -DFIXTURES='"tests/unit/fixtures"' -o $@ $< $(TUI_PURE) $(CORE_LIB) $(ALL_LDFLAGS) $(call pc_libs,$(CORE_PC) cmocka) -lm

# Fuzz targets: with driver.c they replay their seeds and a fixed number of
# mutations in make check; with libFuzzer (make fuzz) they search.
$(BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/driver.c tests/fuzz/fuzz.h $(CORE_LIB)
	@mkdir -p $(@D)
	$(call quiet,CC,$<)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(call pc_cflags,$(CORE_PC)) -o $@ $< $(FUZZ_MAIN) $(CORE_LIB) $(ALL_LDFLAGS) $(call pc_libs,$(CORE_PC)) -lm

# hubassoc(1)'s keys, from the action table (test_keymap checks they agree).
man-keys: $(BUILD)/tests/test_keymap
	@$(BUILD)/tests/test_keymap --mdoc > $(BUILD)/keys.mdoc
	@$(BUILD)/tests/test_keymap --mdoc-commands > $(BUILD)/commands.mdoc
	@awk -v keys=$(BUILD)/keys.mdoc -v cmds=$(BUILD)/commands.mdoc \
	    '/^\.\\" (keys|commands): end/ { skip = 0 } !skip { print } \
	    /^\.\\" keys: begin/ { while ((getline l < keys) > 0) print l; skip = 1 } \
	    /^\.\\" commands: begin/ { while ((getline l < cmds) > 0) print l; skip = 1 }' \
	    man/hubassoc.1 > $(BUILD)/hubassoc.1 && mv $(BUILD)/hubassoc.1 man/hubassoc.1

# The terminal interface on the built-in sandbox (no token, no internet).
# RUN_ARGS adds options: make run RUN_ARGS="--theme light".
run: deps
	@$(MAKE) --no-print-directory all
	@./$(BIN) --sandbox $(RUN_ARGS)

check: deps
	@$(MAKE) --no-print-directory test

test: all
	@tests/run.sh $(BUILD)

asan: deps
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	    $(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN=1 test

# Each fuzz target under libFuzzer (clang) for FUZZ_SECONDS, from its seeds;
# what it finds is kept in BUILD/libfuzzer/corpus, crashes in BUILD/libfuzzer.
FUZZ_SECONDS ?= 60
fuzz: deps
	@command -v clang >/dev/null || { echo "make fuzz needs clang (libFuzzer): apt-get install clang" >&2; exit 2; }
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/libfuzzer CC=clang SAN=1 LIBFUZZER=1 \
	    $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/libfuzzer/tests/fuzz/%)
	@tests/fuzz/run.sh $(BUILD)/libfuzzer $(FUZZ_SECONDS)

bench: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/run.sh $(BUILD) $(BENCH)

# Packages, by the name Debian and Ubuntu give them.
DEB_PKGS = gcc make pkg-config libncurses-dev libcurl4-openssl-dev \
           libcjson-dev libreadline-dev libmicrohttpd-dev libcmocka-dev \
           tmux ncurses-term curl jq mandoc ca-certificates openssl procps \
           zsh fish

deps:
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
		for p in $(DEB_PKGS); do \
			dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
		done; \
		[ -z "$$missing" ] && exit 0; \
		if command -v apt-get >/dev/null 2>&1; then \
			if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
			echo "deps: installing$$missing"; \
			$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null || \
			{ $$sudo apt-get update -q >/dev/null && \
			  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null; } || \
			{ echo "deps: could not install:$$missing" >&2; exit 1; }; \
			exit 0; \
		fi; \
	fi; \
	for m in ncursesw libcurl libcjson readline libmicrohttpd cmocka; do \
		$(PKG_CONFIG) --exists $$m 2>/dev/null || missing="$$missing $$m"; \
	done; \
	for c in tmux curl jq mandoc zsh fish; do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	[ -z "$$missing" ] && exit 0; \
	echo "deps: please install (names vary by system):$$missing" >&2; \
	echo "deps: the libraries with their development headers and pkg-config files" >&2; \
	exit 1

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/hubassoc
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(BIN) completion bash > $(DESTDIR)$(BASHCOMPDIR)/hubassoc
	$(BIN) completion zsh > $(DESTDIR)$(ZSHCOMPDIR)/_hubassoc
	$(BIN) completion fish > $(DESTDIR)$(FISHCOMPDIR)/hubassoc.fish
	install -m 644 man/hubassoc.1 $(DESTDIR)$(MANDIR)/man1/hubassoc.1
	if [ -f man/hubassoc.conf.5 ]; then install -m 644 man/hubassoc.conf.5 $(DESTDIR)$(MANDIR)/man5/hubassoc.conf.5; fi
	if ls themes/*.theme >/dev/null 2>&1; then install -d $(DESTDIR)$(DATADIR)/themes && install -m 644 themes/*.theme $(DESTDIR)$(DATADIR)/themes/; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hubassoc $(DESTDIR)$(MANDIR)/man1/hubassoc.1 \
	    $(DESTDIR)$(MANDIR)/man5/hubassoc.conf.5 $(DESTDIR)$(BASHCOMPDIR)/hubassoc \
	    $(DESTDIR)$(ZSHCOMPDIR)/_hubassoc $(DESTDIR)$(FISHCOMPDIR)/hubassoc.fish
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(BUILD)

-include $(CORE_OBJ:.o=.d) $(APP_OBJ:.o=.d) $(UNIT_BIN:=.d)
