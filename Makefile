# Makefile - the only build file. Override anything: make CC=clang CFLAGS='-O0 -g'
#
#   make            build build/pcapmcp
#   make demo       build, triage a bundled capture, print the MCP config line
#   make test       unit tests, golden CLI tests, corpus conformance, fuzz corpora
#   make asan       the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make static     fully static binary with musl (build/static/pcapmcp)
#   make static-check  the static build's HTTPS suite against the loopback test server
#   make fuzz       every fuzz target as a replay program over its corpus
#   make fuzz-libfuzzer [SECS=30]   real libFuzzer builds; SECS>0 also runs each
#   make fuzz-afl   AFL++ builds (afl-clang-fast); see fuzz/README.md to run them
#   make bench      benchmarks (bench/README.md)
#   make test-big [BIG_SIZE=3G]   MCP server responsiveness on a generated 3 GB capture (~1 min)
PROG     := pcapmcp
BUILD    ?= build
CC       ?= cc
CFLAGS   ?= -O2 -g
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L $(DEFS)
DEPFLAGS  = -MMD -MP
WARN     := -std=c11 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wold-style-definition -Wvla -Wcast-qual -Wformat=2 \
            -Wimplicit-fallthrough -Wundef -Wwrite-strings -Wpointer-arith
LDLIBS   += -lbearssl -lm
# The MCP server's worker threads: on every compile and link, in every flavour.
PTHREAD  := -pthread
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SECS     ?= 0

SRC     := $(filter-out src/main.c,$(wildcard src/*.c))
LIBOBJ  := $(patsubst %.c,$(BUILD)/%.o,$(SRC))
LIB     := $(BUILD)/lib$(PROG).a
TARGETS := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZERS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(TARGETS))
BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/bench_*.c))
UNIT    := $(BUILD)/tests/unit

all: $(BUILD)/$(PROG)

# $(call need,FILE,PACKAGE): FILE must exist; as root, apt-get installs PACKAGE,
# otherwise stop and print the exact command to run.
define need
	@test -e $(1) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing $(2) (for $(1))"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null 2>&1 || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); } >/dev/null; \
	    test -e $(1); \
	  else echo "missing $(1); run: sudo apt-get install -y $(2)"; exit 1; fi; }
endef

deps-static: ; $(call need,/usr/bin/musl-gcc,musl-tools)
	$(call need,/usr/lib/x86_64-linux-gnu/libbearssl.a,libbearssl-dev)
deps-clang:  ; $(call need,/usr/bin/clang,clang libclang-rt-14-dev)
	$(call need,/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a,libclang-rt-14-dev)
deps-afl:    ; $(call need,/usr/bin/afl-clang-fast,afl++)
deps-bench:  ; $(call need,/usr/include/pcap/pcap.h,libpcap-dev)

$(BUILD)/$(PROG): $(BUILD)/src/main.o $(LIB)
	$(CC) $(PTHREAD) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(LIB): $(LIBOBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(WARN) $(PTHREAD) $(CFLAGS) -c -o $@ $<
$(BUILD)/tests/%.o: CPPFLAGS += -Itests
$(UNIT): $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/*.c)) $(LIB)
	$(CC) $(PTHREAD) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(FUZZERS): $(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o $(BUILD)/fuzz/replay.o $(LIB)
	$(CC) $(PTHREAD) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BENCHES): $(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(CC) $(PTHREAD) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lpcap

test: $(UNIT) $(BUILD)/$(PROG) $(FUZZERS) rows1
	@tests/run.sh $(BUILD)

# The CLI with one TLS handshake row and one HTTP exchange row, so that what
# is counted past the rows answers nearly everything: tests/run.sh checks it
# against the normal build (tests/rows_check.py).
ROWS1 := -DPM_TLS_MAX_HANDSHAKES=1 -DPM_HTTP_MAX_EXCHANGES=1
rows1:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/rows1 DEFS='$(ROWS1)' $(BUILD)/rows1/$(PROG)

# Generates a BIG_SIZE capture under /tmp, checks ping, cached calls and stdin EOF
# while `serve` analyses it (tests/mcp/big.mjs), deletes it. Too slow for `make test`.
BIG_SIZE ?= 3G
test-big: $(BUILD)/$(PROG) $(BUILD)/bench/gen_big
	@tests/mcp/big.sh $(BUILD) $(BIG_SIZE)
$(BUILD)/bench/gen_big: bench/gen_big.c
	@mkdir -p $(@D)
	$(CC) -O2 -std=c11 -Wall -Wextra -o $@ $<

golden-update: $(UNIT) $(BUILD)/$(PROG) $(FUZZERS)
	@GOLDEN_UPDATE=1 tests/run.sh $(BUILD) >/dev/null 2>&1 || true
	@git status --short tests/expected

fuzz: $(FUZZERS)
	@set -e; for t in $(TARGETS); do $(BUILD)/fuzz/fuzz_$$t fuzz/corpus/$$t; done

asan:
	$(MAKE) BUILD=build/asan CFLAGS='-O1 -g $(SAN)' LDFLAGS='$(SAN)' test

# A triage of a bundled capture in the CLI's tables (each later analyser adds
# its headline verb here), then the one MCP config line that serves the same
# answers to an assistant.
DEMO_CAP := captures/scan-mixed-benign.pcap
demo: $(BUILD)/$(PROG)
	@echo '== pcapmcp summary $(DEMO_CAP)   (totals, protocols, talkers, ports, flows, TCP health)'
	@$(BUILD)/$(PROG) summary $(DEMO_CAP)
	@echo
	@echo '== pcapmcp scan $(DEMO_CAP)   (scanners, suspects, first probe)'
	@$(BUILD)/$(PROG) scan $(DEMO_CAP)
	@echo
	@echo '== the same answers over MCP: add this server to claude_desktop_config.json (or .vscode/mcp.json "servers"):'
	@echo '"pcapmcp": {"command": "$(abspath $(BUILD)/$(PROG))", "args": ["serve"], "env": {"PCAPMCP_ALLOWED_DIR": "$(abspath captures)"}}'
	@echo '   then ask: "triage scan-mixed-benign.pcap" (get_pcap_summary, scan_overview, list_suspects)'

STATIC_LIBS := $(wildcard /usr/lib/x86_64-linux-gnu/libbearssl.a)
static: deps-static
	$(MAKE) BUILD=build/static CC=musl-gcc CFLAGS='-O2 -DNDEBUG -DPM_STATIC -isystem /usr/include/bearssl' \
	  LDFLAGS=-static LDLIBS='$(STATIC_LIBS) -lm' all
	@strip -o build/static/$(PROG).stripped build/static/$(PROG)
	@file build/static/$(PROG)
	@echo "size: $$(stat -c %s build/static/$(PROG)) bytes ($$(stat -c %s build/static/$(PROG).stripped) stripped)"

# The static build's unit runner, for its HTTPS suite: a musl-static binary
# fetching from the loopback test server (tests/test_https.c).
static-check: static
	$(MAKE) BUILD=build/static CC=musl-gcc CFLAGS='-O2 -DNDEBUG -DPM_STATIC -isystem /usr/include/bearssl' \
	  LDFLAGS=-static LDLIBS='$(STATIC_LIBS) -lm' build/static/tests/unit
	@file build/static/tests/unit | grep -q 'statically linked'
	build/static/tests/unit https

# Fuzz builds: the library and each target compiled once per engine into
# $(BUILD)/libfuzzer or $(BUILD)/afl, with ASan and UBSan that halt on the
# first report (-fno-sanitize-recover=all), so a finding is a crash.
# SECS>0 runs each libFuzzer target that long; the first crash, sanitizer
# report or leak stops the loop and make fails (log in build/libfuzzer/).
# The capture targets also get up to 200 small public captures from
# ../shared/corpus (fuzz/seeds.sh) as extra seeds, read in place.
LF_BINS   := $(patsubst %,$(BUILD)/fuzz_%,$(TARGETS))
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OPTS := -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
SEEDED    := capture analysis
fuzz-libfuzzer: deps-clang
	$(MAKE) BUILD=build/libfuzzer CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
	  LDFLAGS='-fsanitize=fuzzer $(FUZZ_SAN)' fuzz-engine-bins
	@set -e; fuzz/seeds.sh | paste -sd, >build/libfuzzer/seeds.lst; \
	echo "libFuzzer: $$(tr , '\n' <build/libfuzzer/seeds.lst | grep -c .) seeds from ../shared/corpus"; \
	for t in $(TARGETS); do \
	  [ "$(SECS)" -gt 0 ] || continue; \
	  seeds=; case " $(SEEDED) " in *" $$t "*) [ -s build/libfuzzer/seeds.lst ] && \
	    seeds=-seed_inputs=@build/libfuzzer/seeds.lst;; esac; \
	  mkdir -p build/libfuzzer/corpus-$$t; log=build/libfuzzer/fuzz_$$t.log; \
	  echo "libFuzzer: fuzz_$$t for $(SECS) s (log $$log)"; \
	  if build/libfuzzer/fuzz_$$t -max_total_time=$(SECS) $(FUZZ_OPTS) $$seeds \
	      -artifact_prefix=build/libfuzzer/fuzz_$$t- build/libfuzzer/corpus-$$t fuzz/corpus/$$t \
	      >$$log 2>&1; then grep -E '^INFO: seed corpus|^#[0-9]+.*(INITED|DONE)|^stat::' $$log; \
	  else tail -n 60 $$log; echo "libFuzzer: fuzz_$$t FAILED (see $$log)"; exit 1; fi; \
	done
fuzz-engine-bins: $(LF_BINS)
$(LF_BINS): $(BUILD)/fuzz_%: $(BUILD)/fuzz/fuzz_%.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# AFL++ builds the same targets (afl-clang-fast links its own driver for
# LLVMFuzzerTestOneInput) with the same halting ASan and UBSan.
fuzz-afl: deps-afl
	AFL_QUIET=1 $(MAKE) BUILD=build/afl CC=afl-clang-fast CFLAGS='-g -O1 $(FUZZ_SAN)' \
	  LDFLAGS='-fsanitize=fuzzer $(FUZZ_SAN)' fuzz-engine-bins
	@echo "run one: afl-fuzz -i fuzz/corpus/capture -o build/afl/out-capture -- build/afl/fuzz_capture"

bench: deps-bench
	$(MAKE) BUILD=build/bench CFLAGS='-O2 -g -DNDEBUG' bench-run
bench-run: $(BENCHES) $(BUILD)/$(PROG)
	bench/run.sh $(BUILD)

captures: $(BUILD)/captures/gen_captures $(BUILD)/captures/gen_scans
	$(BUILD)/captures/gen_captures captures
	$(BUILD)/captures/gen_scans captures
$(BUILD)/captures/%: $(BUILD)/captures/%.o
	$(CC) $(LDFLAGS) -o $@ $^

lint:
	cppcheck --std=c11 --enable=warning,style,performance,portability --error-exitcode=1 \
	  --inline-suppr --suppress=missingIncludeSystem -Iinclude src
	clang-tidy --quiet src/*.c -- $(CPPFLAGS) -std=c11
headers:
	@for h in include/*.h; do echo "#include \"$${h#include/}\"" | \
	  $(CC) $(CPPFLAGS) $(WARN) $(PTHREAD) -fsyntax-only -x c - || exit 1; done; echo "headers: ok"
FMT_FILES = src/*.c include/*.h tests/*.[ch] fuzz/*.c bench/*.c captures/*.c
format:       ; clang-format -i $(wildcard $(FMT_FILES))
format-check: ; clang-format --dry-run --Werror $(wildcard $(FMT_FILES))
clean: ; rm -rf build
.PHONY: all test rows1 test-big golden-update fuzz asan demo static static-check fuzz-libfuzzer \
	fuzz-engine-bins fuzz-afl bench bench-run captures lint headers format format-check clean \
	deps-static deps-clang deps-afl deps-bench
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
