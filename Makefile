# Boucle. On a fresh Debian 12 / Ubuntu machine, 'make run' and 'make test' are
# all it takes: both first run scripts/install-deps.sh, which installs missing
# system packages (as root) or prints the apt-get command to run (otherwise).

SHELL := /bin/bash
# The official Go tarball's place, ahead of any older go on PATH.
export PATH := /usr/local/go/bin:$(PATH)

# The fyne CLI used by 'make package', pinned, installed under bin/tools/.
FYNE_VERSION := v1.7.0
FYNE := $(CURDIR)/bin/tools/fyne-$(FYNE_VERSION)/fyne

.DEFAULT_GOAL := build
.PHONY: deps test build run bench package screenshots clean

## deps: check (as root: install) system packages and Go >= 1.26
deps:
	@scripts/install-deps.sh

## test: go vet and every test, fuzz seed corpora included (-count=1: no cached results), then
## the smoke run: the real app under Xvfb opens every file dialog (scripts/smoke.sh)
test: build
	go vet ./...
	go test -count=1 -timeout 15m ./...
	scripts/smoke.sh

## build: bin/boucle (desktop app, cgo) and bin/boucle-server (pure Go)
build: deps
	go build -o bin/boucle ./cmd/boucle
	CGO_ENABLED=0 go build -o bin/boucle-server ./cmd/boucle-server

## run: seed a demo plant, start the server on 127.0.0.1:8477, open the desktop app
run: build
	scripts/run-demo.sh

## bench: every benchmark, no tests (docs/performance.md says what each measures);
## the first-sync fixture and the 100k stores take minutes to build, hence the timeout
bench: deps
	go test -run '^$$' -bench . -benchmem -timeout 60m ./...

## screenshots: docs/screenshots/*.png, every main screen of the real app in English and French (Xvfb, demo plant)
screenshots: build
	scripts/screenshots.sh

## package: bin/Boucle.tar.xz, the Linux bundle of ./cmd/boucle (FyneApp.toml is left untouched)
package: deps $(FYNE)
	FYNE=$(FYNE) scripts/package.sh

$(FYNE): | deps
	GOBIN=$(dir $(FYNE)) go install fyne.io/tools/cmd/fyne@$(FYNE_VERSION)

## clean: remove build output and the demo data of 'make run'
clean:
	rm -rf bin .run
