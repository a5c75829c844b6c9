# fairshare — build, install, test.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
SBINDIR = $(PREFIX)/sbin
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
CATALOGDIR ?= $(PREFIX)/lib/systemd/catalog
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
SYSCONFDIR ?= /etc
DOCDIR ?= $(PREFIX)/share/doc/fairshare
VERSION = $(shell sed -n 's/.*static let string = "\(.*\)"/\1/p' Sources/FairshareCore/Version.swift)
SWIFT ?= swift
SWIFT_RELEASE_FLAGS = -c release --static-swift-stdlib --scratch-path .build-release --product fairshare
BIN = .build-release/release/fairshare

deps:
	contrib/install-deps

.PHONY: deps all build install uninstall deb apt-repo check check-all unit-test system-test system-test-all fuzz demo bench clean

all: build

build:
	$(SWIFT) build $(SWIFT_RELEASE_FLAGS)

# BIN may name a binary built elsewhere (make install BIN=path).
install: $(if $(filter $(BIN),.build-release/release/fairshare),build)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(CATALOGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/fairshare
	ln -sf $(shell realpath -m --relative-to=$(SBINDIR) $(BINDIR))/fairshare $(DESTDIR)$(SBINDIR)/fairshared
	ln -sf fairshare $(DESTDIR)$(BINDIR)/fairshare-web
	sed 's|/usr/bin/fairshare-web|$(BINDIR)/fairshare-web|' contrib/fairshare-web.service > $(DESTDIR)$(UNITDIR)/fairshare-web.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/fairshare-web.service
	install -m 0644 contrib/fairshare-web.socket $(DESTDIR)$(UNITDIR)/fairshare-web.socket
	ln -sf fairshare $(DESTDIR)$(BINDIR)/fairshare-remote
	sed 's|/usr/bin/fairshare-remote|$(BINDIR)/fairshare-remote|' contrib/fairshare-remote.service > $(DESTDIR)$(UNITDIR)/fairshare-remote.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/fairshare-remote.service
	install -d $(DESTDIR)$(SYSCONFDIR)/fairshare/remote
	sed 's|/usr/sbin/fairshared|$(SBINDIR)/fairshared|' contrib/fairshared.service > $(DESTDIR)$(UNITDIR)/fairshared.service
	install -m 0644 contrib/fairshared.socket $(DESTDIR)$(UNITDIR)/fairshared.socket
	chmod 0644 $(DESTDIR)$(UNITDIR)/fairshared.service
	install -m 0644 contrib/fairshare.sysusers $(DESTDIR)$(SYSUSERSDIR)/fairshare.conf
	install -m 0644 contrib/fairshare.catalog $(DESTDIR)$(CATALOGDIR)/fairshare.catalog
	install -m 0644 man/fairshare.1 $(DESTDIR)$(MANDIR)/man1/fairshare.1
	install -m 0644 man/fairshared.8 $(DESTDIR)$(MANDIR)/man8/fairshared.8
	install -m 0644 man/fairshare-web.8 $(DESTDIR)$(MANDIR)/man8/fairshare-web.8
	install -m 0644 man/fairshare-remote.8 $(DESTDIR)$(MANDIR)/man8/fairshare-remote.8
	install -d $(DESTDIR)$(DOCDIR)/examples
	install -m 0755 contrib/fairshare-remote-certs $(DESTDIR)$(DOCDIR)/examples/fairshare-remote-certs
	install -m 0644 contrib/proto/fairshare/remote/v1/remote.proto $(DESTDIR)$(DOCDIR)/remote.proto
	install -d $(DESTDIR)$(MANDIR)/man5
	install -m 0644 man/fairshare-policy.5 $(DESTDIR)$(MANDIR)/man5/fairshare-policy.5
	$(BIN) --generate-completion-script bash | sed "1{/^#!/d}" > $(DESTDIR)$(BASHCOMPDIR)/fairshare
	$(BIN) --generate-completion-script zsh > $(DESTDIR)$(ZSHCOMPDIR)/_fairshare
	install -d $(DESTDIR)$(SYSCONFDIR)/fairshare/policy.d
	test -e $(DESTDIR)$(SYSCONFDIR)/fairshare/policy.d/default.yaml || \
		install -m 0644 contrib/default.yaml $(DESTDIR)$(SYSCONFDIR)/fairshare/policy.d/default.yaml

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fairshare $(DESTDIR)$(SBINDIR)/fairshared $(DESTDIR)$(UNITDIR)/fairshared.service \
		$(DESTDIR)$(BINDIR)/fairshare-web $(DESTDIR)$(UNITDIR)/fairshare-web.service $(DESTDIR)$(UNITDIR)/fairshare-web.socket \
		$(DESTDIR)$(MANDIR)/man8/fairshare-web.8 \
		$(DESTDIR)$(BINDIR)/fairshare-remote $(DESTDIR)$(UNITDIR)/fairshare-remote.service $(DESTDIR)$(MANDIR)/man8/fairshare-remote.8 \
		$(DESTDIR)$(DOCDIR)/examples/fairshare-remote-certs $(DESTDIR)$(DOCDIR)/remote.proto \
		$(DESTDIR)$(UNITDIR)/fairshared.socket $(DESTDIR)$(SYSUSERSDIR)/fairshare.conf \
		$(DESTDIR)$(CATALOGDIR)/fairshare.catalog $(DESTDIR)$(MANDIR)/man1/fairshare.1 \
		$(DESTDIR)$(MANDIR)/man8/fairshared.8 $(DESTDIR)$(MANDIR)/man5/fairshare-policy.5 $(DESTDIR)$(BASHCOMPDIR)/fairshare $(DESTDIR)$(ZSHCOMPDIR)/_fairshare

# A Debian package from `make install`: fairshare_VERSION_amd64.deb.
deb: build
	contrib/build-deb --binary $(BIN) --output .

# A signed APT repository of that .deb in APT_REPO (reprepro; README,
# "APT repository"): the key from FAIRSHARE_SIGNING_KEY (a secret key file)
# or FAIRSHARE_SIGNING_KEY_ID (in GNUPGHOME); without either, a throw-away
# test key kept in .build-apt/test-gnupg. SOURCE_DATE_EPOCH (default: the
# newest debian/changelog entry) dates it; same inputs, same bytes.
APT_REPO ?= .build-apt/repo
# The package's version: the newest debian/changelog entry's (contrib/build-deb).
DEBVERSION = $(shell head -n 1 debian/changelog | tr -d '()' | cut -d' ' -f2)
APT_URL ?= https://fairshare.example.org/apt
apt-repo: deb
	contrib/build-apt-repo --output $(APT_REPO) --url $(APT_URL) \
		$(if $(FAIRSHARE_SIGNING_KEY)$(FAIRSHARE_SIGNING_KEY_ID),,--test-key .build-apt/test-gnupg) \
		fairshare_$(DEBVERSION)_amd64.deb

# The README's test command: unit tests, then the system tests against a
# real systemd in a throwaway container (needs root; with CI=true a skip fails).
check: deps unit-test system-test

# FAIRSHARE_BUILD_CACHE (.ci/run sets it): SwiftPM's build folders live
# there instead of .build and .build-system, so a fresh clone does not
# rebuild the dependencies (contrib/prune-build-cache drops fairshare's own
# modules first: they are always built from the clone's sources).
DEBUG_SCRATCH = $(if $(FAIRSHARE_BUILD_CACHE),--scratch-path $(FAIRSHARE_BUILD_CACHE)/debug)

unit-test:
	$(SWIFT) build --build-tests $(DEBUG_SCRATCH)
	$(SWIFT) test --skip-build $(DEBUG_SCRATCH)

# Three suites: bookworm in containers (cgroup v1 hybrid), bookworm in VMs
# (cgroup v2) and trixie (Debian 13, systemd 257) in VMs, on the files in
# TRIXIE_TESTS (Tests/System/README.md, "Suites"). Each runs even if one
# before it fails; the target fails if any does.
TRIXIE_TESTS ?= 10-allocation 20-enforcement 36-unit-hardening 42-login-caps
system-test:
	rc=0; Tests/System/run || rc=1; Tests/System/run --mode vm || rc=1; \
	Tests/System/run --suite trixie $(TRIXIE_TESTS) || rc=1; exit $$rc

# Everything: every test of every suite, the "# cgroup-v2: when named" files
# in both VM suites too.
check-all: deps unit-test system-test-all

system-test-all:
	rc=0; Tests/System/run || rc=1; Tests/System/run --mode vm --all || rc=1; \
	Tests/System/run --suite trixie --all || rc=1; exit $$rc

# The gRPC API's Swift code (Sources/FairshareRemote/Generated), committed:
# regenerate after changing contrib/proto (needs protobuf-compiler).
proto:
	contrib/generate-proto

# libFuzzer on the parsers (Tests/Fuzz/README.md): builds every target, then
# runs each for SECONDS; fails on any crash.
SECONDS ?= 60
fuzz:
	Tests/Fuzz/run --seconds $(SECONDS)

demo: deps
	Tests/System/demo

# Issue 9's benchmarks against systemd's own tools and issue 16's, three
# times in throw-away containers (needs root); writes BENCHMARKS.md with each
# figure's median and spread. Benchmarks/run --help for the options.
bench: deps
	Benchmarks/run --runs 3

clean:
	rm -rf .build .build-release .build-system .build-bench .build-fuzz
