# nfshift - build, test, install. See README.md.
#
#   make            build every tool into build/bin
#   make check      unit + CLI tests, then again under ASan/UBSan (build/san),
#                   then the hostile-input tests under valgrind (build/valgrind)
#   make demo       install missing Debian packages (as root), build, run the pipeline
#   make bench      throughput and memory against reference tools
#   make evaluate   detection quality against ground truth
#   make fuzz       libFuzzer runs of the datagram decoder, the CSV readers, the
#                   NDJSON record reader and the table reader (FUZZ_SECONDS each)
#   make install PREFIX=/usr/local

TOOLS := nf-parse nf-window nf-features nf-pca nf-decompose nf-pelt nf-explain nf-replay
PREFIX ?= /usr/local
CC ?= cc
CFLAGS ?= -O2 -g
PKGS := libcjson gsl libpcap
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
STD := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Wall -Wextra -Werror -Ilib $(PKG_CFLAGS)

ifeq ($(SAN),1)
B := build/san
SANFLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all
else
B := build
SANFLAGS :=
endif

ALL_CFLAGS = $(STD) $(CFLAGS) $(SANFLAGS) -MMD -MP
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

# Tools are built once their main.c exists, so a tool can land piece by piece.
BUILT_TOOLS := $(foreach t,$(TOOLS),$(if $(wildcard $(t)/main.c),$(t)))

LIB_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(wildcard lib/*.c))
LIBNF := $(B)/libnf.a
LIB_TESTS := $(patsubst lib/tests/%.c,$(B)/test/lib/%,$(wildcard lib/tests/test_*.c))

.PHONY: all check test unit install uninstall demo bench evaluate fuzz clean deps man
.SUFFIXES:

all: $(addprefix $(B)/bin/,$(BUILT_TOOLS)) $(B)/bin/nfshift $(B)/bin/nfshift-live

# The one-command driver (a shell script over the tools), beside them.
$(B)/bin/nfshift: nfshift/nfshift
	@mkdir -p $(dir $@)
	install -m 755 $< $@

# nfshift baseline / watch (the live path), run by nfshift from beside it or share/nfshift.
$(B)/bin/nfshift-live: nfshift/nfshift-live
	@mkdir -p $(dir $@)
	install -m 644 $< $@

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBNF): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(B)/test/lib/%: lib/tests/%.c $(LIBNF)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBNF) $(ALL_LDFLAGS) $(PKG_LIBS)

# Per tool: its objects; main.o only in the binary, the rest also in its unit tests.
define TOOL_RULES
$(1)_OBJ := $$(patsubst %.c,$(B)/obj/%.o,$$(wildcard $(1)/*.c))
$(1)_MOD := $$(filter-out $(B)/obj/$(1)/main.o,$$($(1)_OBJ))
$(1)_TESTS := $$(patsubst $(1)/tests/%.c,$(B)/test/$(1)/%,$$(wildcard $(1)/tests/test_*.c))
$(B)/bin/$(1): $$($(1)_OBJ) $(LIBNF)
	@mkdir -p $$(dir $$@)
	$$(CC) -o $$@ $$($(1)_OBJ) $(LIBNF) $$(ALL_LDFLAGS) $(PKG_LIBS)
$(B)/test/$(1)/%: $(1)/tests/%.c $$($(1)_MOD) $(LIBNF)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) -I$(1) -o $$@ $$< $$($(1)_MOD) $(LIBNF) $$(ALL_LDFLAGS) $(PKG_LIBS)
endef
$(foreach t,$(BUILT_TOOLS),$(eval $(call TOOL_RULES,$(t))))

UNIT_TESTS := $(LIB_TESTS) $(foreach t,$(BUILT_TOOLS),$($(t)_TESTS))

# The libFuzzer harnesses built with $(CC) and lib/fuzz/replay.c instead of
# libFuzzer: tests/fuzz-replay.bats runs each over its committed corpus in
# every build (plain, SAN=1, and under valgrind).
FUZZ_REPLAY := $(patsubst nf-parse/fuzz/fuzz_%.c,$(B)/fuzz/replay-%,$(wildcard nf-parse/fuzz/fuzz_*.c)) \
	$(patsubst lib/fuzz/fuzz_%.c,$(B)/fuzz/replay-%,$(wildcard lib/fuzz/fuzz_*.c))
$(B)/fuzz/replay-%: nf-parse/fuzz/fuzz_%.c $(B)/obj/lib/fuzz/replay.o $(nf-parse_MOD) $(LIBNF)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Inf-parse -o $@ $< $(B)/obj/lib/fuzz/replay.o $(nf-parse_MOD) $(LIBNF) $(ALL_LDFLAGS) $(PKG_LIBS)
$(B)/fuzz/replay-%: lib/fuzz/fuzz_%.c $(B)/obj/lib/fuzz/replay.o $(LIBNF)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ilib/fuzz -o $@ $< $(B)/obj/lib/fuzz/replay.o $(LIBNF) $(ALL_LDFLAGS) $(PKG_LIBS)

unit: $(UNIT_TESTS)

# Runs every unit test and bats file of one build; tests/run prints the counts.
test: all unit $(FUZZ_REPLAY)
	tests/run $(B)

# HIDE_SHARED=plain runs the plain pass as a fresh clone without ../shared
# beside it would (tests that need it skip); .ci/run proves both cases.
NO_SHARED := NFSHIFT_SHARED=$(CURDIR)/build/no-shared/data NFSHIFT_REFERENCE=$(CURDIR)/build/no-shared/reference

# Every pass runs even when one before it failed (a failure in the plain
# pass used to skip the sanitizer and valgrind passes); the status is the
# summary's.
check: deps
	rm -f build/test-counts build/san/test-counts build/valgrind/test-counts
	-$(if $(filter plain,$(HIDE_SHARED)),$(NO_SHARED)) $(MAKE) test
	-$(MAKE) SAN=1 test
	-tests/run-valgrind build
	@tests/summary build build/san build/valgrind

deps:
	@scripts/install-deps --quiet

demo: deps
	$(MAKE) all
	scripts/demo

bench: all
	bench/run

evaluate: all
	scripts/evaluate

fuzz:
	$(MAKE) -C nf-parse/fuzz run
	$(MAKE) -C lib/fuzz run

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(addprefix $(B)/bin/,$(BUILT_TOOLS)) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard $(addsuffix /*.1,$(BUILT_TOOLS))) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 755 nfshift/nfshift $(DESTDIR)$(PREFIX)/bin/nfshift
	install -m 644 nfshift/nfshift.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -d $(DESTDIR)$(PREFIX)/share/nfshift/experiments
	install -m 644 nfshift/nfshift-live $(DESTDIR)$(PREFIX)/share/nfshift/nfshift-live
	sed 's|^NF_BIN     ?= .*|NF_BIN     ?= $(PREFIX)/bin|' experiments/Makefile \
	    > $(DESTDIR)$(PREFIX)/share/nfshift/experiments/Makefile

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(BUILT_TOOLS))
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(addsuffix .1,$(BUILT_TOOLS)))
	rm -f $(DESTDIR)$(PREFIX)/bin/nfshift $(DESTDIR)$(PREFIX)/share/man/man1/nfshift.1
	rm -rf $(DESTDIR)$(PREFIX)/share/nfshift

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
