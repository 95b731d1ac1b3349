# Two-command setup: `make demo` and `make test` (see README.md).
# This Makefile only drives CMake; the build itself is CMakeLists.txt.

BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DB         ?= budget.sqlite
BIN        := $(BUILD)/budgetpdf

# Debian packages the build, the tests and the demo need.
DEB_PACKAGES := build-essential cmake pkg-config \
	libpoppler-glib-dev libglib2.0-dev poppler-data poppler-utils libcairo2-dev \
	libpcre2-dev libicu-dev libsqlite3-dev sqlite3 check qpdf libqpdf-dev nettle-dev zlib1g-dev \
	libmimalloc-dev

# What only the tests need: chromium loads the HTML report (check_report);
# python3 runs the table scorers in bench/ (check_tables).
TEST_PACKAGES := chromium python3

.PHONY: all deps build demo test fuzz bench clean

all: build

# Installs whatever Debian packages are missing (needs root or sudo).
deps:
	@sh tools/install-deps.sh $(DEB_PACKAGES)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# Ingests corpus/ afresh, prints the reconciliation report (its exit code
# 1 only means "mismatches found") and writes the HTML evidence report.
demo: build
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN) ingest --db $(DB) corpus/
	$(BIN) reconcile --db $(DB); test $$? -le 1
	$(BIN) report --db $(DB) --html report

# Every test, under AddressSanitizer + UndefinedBehaviorSanitizer, -Werror;
# then every test again on the release build, the binary users run (its
# malloc is mimalloc, which the sanitizers cannot have).
test: build
	@sh tools/install-deps.sh $(TEST_PACKAGES)
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBP_SANITIZE=ON -DBP_WERROR=ON >/dev/null
	cmake --build $(TEST_BUILD) -j $(JOBS)
	ctest --test-dir $(TEST_BUILD) --output-on-failure -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

fuzz: deps
	@sh tools/install-deps.sh clang libclang-rt-14-dev
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DBP_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j $(JOBS)
	sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

bench: build
	sh bench/run.sh $(BIN)

clean:
	rm -rf $(BUILD) $(TEST_BUILD) build-fuzz
