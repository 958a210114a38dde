# Jacobi: two commands on a fresh Debian machine with Swift.
#   make run    installs missing system packages, builds (release), starts the REPL
#   make test   the same checks, then every test
#   make bench  GEMM and Jacobian benchmarks (release build)
#   make fuzz   libFuzzer harnesses with the address sanitizer, FUZZ_SECONDS each (default 60)

SWIFT ?= swift
SHELL := /bin/bash
PACKAGES := libedit-dev libopenblas-dev liblapacke-dev zlib1g-dev pkg-config python3-pexpect
BIN := .build/release/jacobi
# The Swift runtime and Foundation linked into the binary: no dynamic loading and symbol
# binding of a dozen libraries at every start (24 ms -> 15 ms to the first Jacobian,
# docs/performance.md).
RELEASE := -c release --static-swift-stdlib

.PHONY: run build test deps bench fuzz clean

deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "jacobi: installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  elif command -v sudo >/dev/null 2>&1; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "jacobi: please run as root:  apt-get update && apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build $(RELEASE) --product jacobi

run: build
	@$(BIN)

test: deps
	$(SWIFT) build $(RELEASE) --product jacobi
	$(SWIFT) build --build-tests
	@set -o pipefail; JACOBI_BIN=$(CURDIR)/$(BIN) $(SWIFT) test --skip-build --disable-swift-testing 2>&1 | tee .build/test.log
	@# One plain closing line for CI: "N passed, N failed".
	@awk '/Test Suite .All tests. (passed|failed)/ {all=1} all && /Executed [0-9]+ tests?, with [0-9]+ failures?/ { \
	  match($$0, /Executed [0-9]+/); n=substr($$0, RSTART+9, RLENGTH-9); \
	  match($$0, /with [0-9]+/); f=substr($$0, RSTART+5, RLENGTH-5); all=0 } \
	  END { if (n == "") { print "no test summary found"; exit 1 } print n-f " passed, " f " failed" }' .build/test.log

bench: deps
	$(SWIFT) build -c release --product jacobi-bench
	.build/release/jacobi-bench $(ARGS)

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz: deps
	$(SWIFT) build --product jacobi-fuzz --build-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
	fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf .build .build-fuzz
