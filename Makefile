# Firegrid: two commands on a fresh Debian machine.
#   make run   installs what is missing, builds, opens the app on a demo data folder
#   make test  installs what is missing, lints, builds without warnings, runs every test
SHELL := /bin/bash
SWIFT ?= swift
# Debian packages the build and the tests need (headers of ncursesw, tmux for end-to-end tests;
# Pango, Cairo and a Chinese font for printing, poppler-utils to read the PDFs back, CUPS with
# its PDF printer for the real-print test; zlib for the XLSX zip, LibreOffice Calc to read our
# XLSX back in a test; libpq for the PostgreSQL store, and the server for a throwaway cluster
# in the tests).
DEB_PACKAGES := libncurses-dev tmux libpango1.0-dev libcairo2-dev fonts-noto-cjk poppler-utils \
  cups cups-client printer-driver-cups-pdf zlib1g-dev libreoffice-calc-nogui libpq-dev postgresql
DEMO_DATA ?= demo-data
BIN := .build/debug/firegrid

.PHONY: run test deps build lint bench

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "安装缺少的软件包 / installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing; \
	  else \
	    echo "缺少软件包，请先运行 / missing packages, run:"; \
	    echo "  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

run: build
	@[ -f "$(DEMO_DATA)/town.json" ] || $(BIN) demo --data "$(DEMO_DATA)"
	LANG=C.UTF-8 $(BIN) --data "$(DEMO_DATA)"

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Resources

# Builds everything with tests and fails on any warning in our own code.
test: deps lint
	@set -o pipefail; $(SWIFT) build --build-tests 2>&1 | tee .build-test.log
	@if grep -E "^/.*/(Sources|Tests|Resources)/.*: warning:" .build-test.log; then \
	  echo "构建有警告 / the build has warnings"; exit 1; fi
	@# A throwaway PostgreSQL cluster (.ci/pg-cluster: initdb in a temporary folder, a Unix
	@# socket, no TCP) for the store's tests, stopped and removed whatever they do.
	@dir=$$(mktemp -d /tmp/firegrid-pg.XXXXXX); \
	url=$$(.ci/pg-cluster start "$$dir") || { rm -rf "$$dir"; exit 1; }; \
	trap '.ci/pg-cluster stop "$$dir"' EXIT; \
	echo "FIREGRID_TEST_PG=$$url"; \
	FIREGRID_TEST_PG="$$url" LANG=C.UTF-8 $(SWIFT) test --skip-build || exit 1; \
	echo "benchmark smoke run"; \
	FIREGRID_TEST_PG="$$url" $(SWIFT) run --skip-build firegrid-bench --scales 100 --edits 5 --season 200 \
	  > .build-bench-smoke.log 2>&1 \
	  || { tail -20 .build-bench-smoke.log; echo "benchmark smoke run failed"; exit 1; }
	@# The benchmark above ran at a small scale, on the same cluster: it times nothing there, it
	@# only has to run through (a change of the forms or the store that it no longer fits fails
	@# there, not in make bench).

# Release-build benchmark: open time, save latency p50/p95/p99, peak memory at town scale
# (10,000 households) and ten times that, and last the side-by-side table (the real binary to
# its first screen, beside VisiData when `vd` is installed: pip install visidata). Prints its
# figures; asserts nothing. Both binaries are built: the bench starts `firegrid` beside it.
# On PostgreSQL too (issue 14): a throwaway cluster (.ci/pg-cluster) for the bench only,
# stopped and removed after; without PostgreSQL installed the bench prints a skipped line.
bench: deps
	$(SWIFT) build -c release --product firegrid
	@$(SWIFT) build -c release --product firegrid-bench
	@dir=$$(mktemp -d /tmp/firegrid-bench-pg.XXXXXX); \
	if url=$$(.ci/pg-cluster start "$$dir"); then \
	  trap '.ci/pg-cluster stop "$$dir"' EXIT; export FIREGRID_BENCH_PG="$$url"; \
	else \
	  rm -rf "$$dir"; echo "PostgreSQL: skipped (no throwaway cluster could start)"; \
	fi; \
	$(SWIFT) run -c release --skip-build firegrid-bench
