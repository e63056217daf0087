# Two commands a new user needs: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo federation-demo test test-slow lint bench sbom clean messages

# The pages' catalogues (src/passerelle/locale) are compiled here, at install; a catalogue
# edited since is compiled in memory when the node starts (docs/languages.md).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m passerelle.i18n.messages compile
	touch $(STAMP)

# The browser tests' accessibility checker (axe-core) and the networks page's graph view
# (cytoscape.js, served by the node from node_modules/, web/routes.py), both pinned in
# package-lock.json, into node_modules/; without npm the accessibility tests skip, or fail
# under .ci/run, and the networks page shows its tables only.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm is missing: the accessibility tests will skip (apt-get install nodejs npm)" >&2; \
	elif npm ci --no-audit --no-fund --silent; then touch $(AXE); \
	else echo "npm ci failed (no registry?): the accessibility tests will skip" >&2; fi

# Every marked string of the sources into its area's catalogue of each language (then
# translate what `python -m passerelle.i18n.messages check` lists as missing).
messages: $(STAMP)
	$(BIN)/python -m passerelle.i18n.messages update
	$(BIN)/python -m passerelle.i18n.messages compile

demo: $(STAMP) $(AXE)
	$(BIN)/passerelle demo

# STATES=22 (4 to 22): the scale story on the members of the Council of Arab Interior
# Ministers instead of the three-node story (docs/federation.md).
federation-demo: $(STAMP)
	$(BIN)/passerelle federation demo $(if $(STATES),--states $(STATES))

# ruff, mypy --strict, and the layers declared in pyproject.toml (import-linter).
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# Two processes: the suite waits on subprocesses, servers and PostgreSQL as much as on the
# CPU, and runs in about 4 minutes on a 2-CPU machine instead of 6. The slow tests (the
# 22-member federation: some 5 minutes and 7 GiB) run with `make test-slow`.
test: $(STAMP) $(AXE) lint
	$(BIN)/pytest -q -n 2 -m "not slow"

test-slow: $(STAMP)
	$(BIN)/pytest -q -m slow

bench: $(STAMP)
	$(BIN)/python bench/mrz_throughput.py

# What the node ships: every package installed in .venv with its version, as a CycloneDX
# SBOM (docs/security-parts/supply-chain.md says how to audit it against a vulnerability
# database, which needs a network this build does not).
SBOM ?= dist/sbom.cdx.json
sbom: $(STAMP)
	mkdir -p $(dir $(SBOM))
	$(BIN)/cyclonedx-py environment --pyproject pyproject.toml --mc-type application \
		--output-reproducible --of JSON -o $(SBOM) $(BIN)/python

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis
