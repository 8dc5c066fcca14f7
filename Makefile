# PeerCircle's make targets. `make test` is what CI runs (.ci/run).
GO ?= go

.PHONY: test deps vet test-go bench-smoke lint bench run demo

# Every test: vet, the race-enabled suite on SQLite and PostgreSQL, the
# browser tests in headless Chromium, and a one-iteration run of every
# benchmark so none of them rots.
test: deps vet test-go bench-smoke

deps:
	@scripts/test-deps.sh

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

# The race detector instruments every package but SQLite's engine, which
# is Go code machine-translated from SQLite's C source (go-sqlite3-wasm):
# instrumenting it checked none of PeerCircle's code (a connection is used
# by one goroutine at a time, behind database/sql's locks) and made every
# test that touches the database 5-20 times slower. The browser tests build
# the server the same way (e2e/harness_test.go). See docs/testing.md.
RACE = -race -gcflags=github.com/ncruces/go-sqlite3-wasm/v6=-race=false

test-go:
	$(GO) test $(RACE) -count=1 -timeout 25m ./...

bench-smoke:
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 10m ./...

lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@2025.1.1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

demo:
	$(GO) run ./cmd/peercircle demo
