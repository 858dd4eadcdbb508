# Two commands a fresh clone needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install pango postgres chromium calcurse slapd lint bench clean messages

install: pango $(STAMP)

# Debian's Pango, HarfBuzz's subsetter and a font for WeasyPrint's PDF briefs (its Python package
# loads them at import; without the subsetter it warns on every PDF with embedded fonts),
# and a Japanese font (Noto Sans CJK) so that Japanese readouts print in the brief.
pango:
	@$(PYTHON) -c "import ctypes.util as u, sys; sys.exit(not (u.find_library('pango-1.0') and u.find_library('pangoft2-1.0') and u.find_library('harfbuzz-subset')))" || { \
		echo "installing Debian's pango and harfbuzz-subset for the PDF brief (WeasyPrint)"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null) \
		|| echo "WARNING: could not install pango: PDF briefs will fail"; }
	@fc-list :lang=ja family 2>/dev/null | grep -q . || { \
		echo "installing Debian's fonts-noto-cjk for Japanese readouts in the PDF brief"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null) \
		|| echo "WARNING: could not install fonts-noto-cjk: Japanese text in PDF briefs will show as boxes"; }

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The embedded default: a SQLite file under ./instance/, the sample readout and two demo logins
# (a supervisor and an admin).
run: install
	$(BIN)/tracker db upgrade
	$(BIN)/tracker demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the demo logins above."
	TRACKER_BASE_URL=http://$(HOST):$(PORT) $(BIN)/tracker run --host $(HOST) --port $(PORT)

# The translations (issue 18): extract every string of web/, and of the digest, the brief and the
# services' refusals in tracker/ (babel.cfg), into messages.pot, merge it into each language's messages.po (new strings arrive empty; translate
# them there), and compile the .mo files the app reads. The .mo files are committed, so a fresh
# clone, or a plain `pip install`, shows Japanese with no build step; tests/web/test_i18n.py fails
# when a .po was changed without running this. Locations are left out and entries sorted so that
# merges of branches that both add strings stay small.
TRANSLATIONS := web/translations
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k N_ -k say -k english --no-location --sort-output -w 100 \
		--project "Commitment tracker" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
		--no-fuzzy-matching --ignore-obsolete -w 100
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics
	@# When only the extraction date changed, keep the files as they were: no churn, no merge conflicts.
	@if command -v git >/dev/null && git diff --quiet -I 'POT-Creation-Date' -- '$(TRANSLATIONS)/*.pot' '$(TRANSLATIONS)/*.po' 2>/dev/null; then \
		git checkout -- $(TRANSLATIONS); fi

# Starts the local PostgreSQL server when it is down; prints a loud warning when none can be had.
postgres:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		echo "PostgreSQL is down: starting it"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
		for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it downloads nothing).
chromium:
	@test -x /usr/bin/chromium || { \
		echo "installing Debian's chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "WARNING: could not install chromium: browser tests will fail"; }

# Debian's calcurse: the calendar feed tests import the feed into a real calendar program.
calcurse:
	@command -v calcurse >/dev/null || { \
		echo "installing Debian's calcurse for the calendar feed tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq calcurse >/dev/null) \
		|| echo "WARNING: could not install calcurse: the feed import test will fail"; }

# Debian's OpenLDAP server and tools: the directory sign-in tests run a real slapd (tests/slapd.py).
slapd:
	@test -x /usr/sbin/slapd -a -x /usr/sbin/slapadd || { \
		echo "installing Debian's slapd and ldap-utils for the directory sign-in tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils >/dev/null) \
		|| echo "WARNING: could not install slapd: the directory sign-in tests will fail"; }

# pytest-xdist workers: the tests spend part of their time waiting (on PostgreSQL, child
# processes, servers, Chromium); two on this 2-core machine (three were tried: on a machine
# busy with other work they starved the timing-bound scheduler and bench tests).
PYTEST_WORKERS ?= 2

test: install postgres chromium calcurse slapd lint
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		$(BIN)/python -m pytest -n $(PYTEST_WORKERS); \
	else \
		echo "#################################################################"; \
		echo "# WARNING: no PostgreSQL server could be had on 127.0.0.1:5432.  #"; \
		echo "# The PostgreSQL half of the tests is SKIPPED. SQLite only.     #"; \
		echo "#################################################################"; \
		TRACKER_TEST_SKIP_POSTGRES=1 $(BIN)/python -m pytest -n $(PYTEST_WORKERS); \
	fi

# ruff (rules, then formatting) and mypy on every package; `make test` runs it first.
lint: install
	$(BIN)/ruff check tracker web jobs cli benchmarks tests migrations
	$(BIN)/ruff format --check tracker web jobs cli benchmarks tests
	$(BIN)/mypy

# The performance harness (issue 7) at a size that finishes in a few minutes here; the full
# figures (1,000,000 commitments, SQLite and PostgreSQL) are in docs/benchmarks.md.
BENCH_SIZE ?= 100000
bench: install
	$(BIN)/tracker bench --size $(BENCH_SIZE) --officers 200 --runs 3

clean:
	rm -rf $(VENV) instance .pytest_cache
