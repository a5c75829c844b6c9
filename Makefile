# fairshare — build, install, test.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
SBINDIR = $(PREFIX)/sbin
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
SWIFT ?= swift
SWIFT_RELEASE_FLAGS = -c release --static-swift-stdlib --scratch-path .build-release --product fairshare
BIN = .build-release/release/fairshare

deps:
	contrib/install-deps

.PHONY: deps all build install uninstall check unit-test system-test demo clean

all: build

build:
	$(SWIFT) build $(SWIFT_RELEASE_FLAGS)

install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(UNITDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/fairshare
	ln -sf $(shell realpath --relative-to=$(SBINDIR) $(BINDIR))/fairshare $(DESTDIR)$(SBINDIR)/fairshared
	sed 's|/usr/sbin/fairshared|$(SBINDIR)/fairshared|' contrib/fairshared.service > $(DESTDIR)$(UNITDIR)/fairshared.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/fairshared.service
	install -d $(DESTDIR)$(SYSCONFDIR)/fairshare/policy.d
	test -e $(DESTDIR)$(SYSCONFDIR)/fairshare/policy.d/default.yaml || \
		install -m 0644 contrib/default.yaml $(DESTDIR)$(SYSCONFDIR)/fairshare/policy.d/default.yaml

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fairshare $(DESTDIR)$(SBINDIR)/fairshared $(DESTDIR)$(UNITDIR)/fairshared.service

# The README's test command: unit tests, then the system tests against a
# real systemd in a throwaway container (needs root; with CI=true a skip fails).
check: deps unit-test system-test

unit-test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

system-test:
	Tests/System/run

demo: deps
	Tests/System/demo

clean:
	rm -rf .build .build-release .build-system
