#!/usr/bin/env bash
# The whole test suite: formatting, vet, every test, and the race detector
# on the concurrent packages. The README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change these files:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test (race detector on every package)"
# -race on everything: the crawler and the index are concurrent, and the
# store, web and cli packages are driven by them.
go test -race -count=1 -timeout 15m ./...
