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

test-go:
	$(GO) test -race -count=1 -timeout 25m ./...

bench-smoke:
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 10m ./...

lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@2025.1.1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

demo:
	$(GO) run ./cmd/peercircle demo
