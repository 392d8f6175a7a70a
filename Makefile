# Two commands for a fresh machine with Python 3.11+: `make site`, then `make test`.

# Every variable typed on the command line (FIGURE=..., REASON=..., PYTHON=...) is data, never code:
# make would expand `$(shell ...)` in it when it exports it to a recipe, so each becomes a simple
# variable holding exactly what was typed, exported as such. Recipes read every value from the
# environment inside double quotes ("$$REASON"), so the shell never runs or splits it either.
$(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(eval override $(v) := $$(value $(v)))$(eval export $(v))))

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test
# cffconvert pins jsonschema<4, which clashes with ours: it gets its own environment for the tests.
CFFCONVERT_VERSION := 2.0.0
CFF_VENV := .cache/cffconvert-venv
CFF_STAMP := $(CFF_VENV)/.installed-$(CFFCONVERT_VERSION)
export PYTHON VENV BIN CFFCONVERT_VERSION CFF_VENV SITE_STAMP TEST_STAMP CFF_STAMP

.PHONY: site test serve lint check clean citation correct correct-report correct-source publish deploy export audit bench new-study

$(SITE_STAMP): pyproject.toml
	@"$$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x "$$BIN/python" || "$$PYTHON" -m venv "$$VENV"
	"$$BIN/python" -m pip install --quiet --disable-pip-version-check -e .
	touch "$$SITE_STAMP"

$(TEST_STAMP): $(SITE_STAMP)
	"$$BIN/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch "$$TEST_STAMP"

# Made or not, `make test` goes on: tests/test_cite.py fails under CI=true without it, skips locally.
$(CFF_STAMP):
	@( "$$PYTHON" -m venv "$$CFF_VENV" && \
	   "$$CFF_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "cffconvert==$$CFFCONVERT_VERSION" && \
	   touch "$$CFF_STAMP" ) || { echo "could not install cffconvert $$CFFCONVERT_VERSION into $$CFF_VENV"; test "$$CI" != true; }

## site: create the environment, install, validate data/ and build site/ (always rebuilds)
site: $(SITE_STAMP)
	"$$BIN/python" scripts/build.py

## check: validate data/ and the figure references in docs/ without building
check: $(SITE_STAMP)
	"$$BIN/python" -m trialsite.commands.check

## correct: record a correction of a figure (value changed in place + log entry), e.g.
##   make correct FIGURE=remission VALUE=94 REASON="..." SOURCE=eurekalert-1102627 LOCATOR="..."
##   (values arrive as typed, `$` and quotes included; the script itself: .venv/bin/python scripts/correct.py)
correct: $(SITE_STAMP)
	"$$BIN/python" scripts/correct.py figure --reason="$$REASON" --source="$$SOURCE" --locator="$$LOCATOR" -- "$$FIGURE" "$$VALUE"

## correct-report: the same for another source's report of a figure (one of its also_reported), e.g.
##   make correct-report FIGURE=survival-1y REPORT=jco-2023-abstract-7006 VALUE=84 REASON="..." SOURCE=... LOCATOR="..."
correct-report: $(SITE_STAMP)
	"$$BIN/python" scripts/correct.py report --reason="$$REASON" --source="$$SOURCE" --locator="$$LOCATOR" -- "$$FIGURE" "$$REPORT" "$$VALUE"

## correct-source: the same for a field of a source (title, authors, authors_complete, issued, doi,
##   volume, issue, pages, url, number...); all six variables are needed, e.g.
##   make correct-source ID=jco-2025-wieduwilt FIELD=doi VALUE=10.1200/... REASON="..." \
##        SOURCE=jco-2025-wieduwilt LOCATOR="..."
##   FIELD=authors takes VALUE='Family, Given (Affiliation); Family, Given, Suffix; Organisation name'
##   (an organisation whose name holds a comma in double quotes: VALUE='"Smith, Jones & Co."; Doe, Jane')
correct-source: $(SITE_STAMP)
	"$$BIN/python" scripts/correct.py source --reason="$$REASON" --source="$$SOURCE" --locator="$$LOCATOR" -- "$$ID" "$$FIELD" "$$VALUE"

## new-study: start a study from a copy of one, every figure id prefixed and every reference to it
##   renamed (figure ids are unique across studies), e.g. make new-study FROM=a041703-cohort-1 ID=cohort-2
##   (PREFIX=c2- for other figure ids than ID-); then replace each value with what a source states
new-study: $(SITE_STAMP)
	"$$BIN/python" scripts/new_study.py $${PREFIX:+"--prefix=$$PREFIX"} -- "$$FROM" "$$ID"

## publish: full build; only if it passes, bump the version (BUMP=patch, the default, minor for
##   x.y+1.0 or major for x+1.0.0; nothing else), date it (never before the current version) and
##   rewrite data/published.yaml and CITATION.cff; then commit them with data/site.yaml. Needs the
##   public https address (SITE_URL=https://... or site_url in mkdocs.yml); does nothing if nothing
##   changed since the last published version
publish: $(SITE_STAMP)
	"$$BIN/python" scripts/publish.py --bump="$${BUMP:-patch}"

## deploy: add the published version to the gh-pages branch (every version kept, latest = newest,
##   with robots.txt and a dated sitemap); REMOTE=origin fetches its versions first and pushes after
deploy: $(SITE_STAMP)
	"$$BIN/python" scripts/deploy.py $${REMOTE:+"--remote=$$REMOTE"}

## export: write the versioned site (the gh-pages branch) to DEST (default public/) for any static
##   host: files 0644, folders 0755. Preview it locally with: .venv/bin/mike serve -a 127.0.0.1:8000
export: $(SITE_STAMP)
	"$$BIN/python" scripts/export.py -- "$${DEST:-public}"

## test: install the test dependencies and run the whole suite (ruff, then pytest)
test: $(TEST_STAMP) $(CFF_STAMP)
	"$$BIN/ruff" check .
	"$$BIN/ruff" format --check .
	"$$BIN/python" -m pytest

## serve: preview on http://127.0.0.1:8000, rebuilding when data/, docs/ or the code change
serve: $(SITE_STAMP)
	"$$BIN/mkdocs" serve --dev-addr 127.0.0.1:8000

## citation: regenerate CITATION.cff from data/site.yaml, data/sources.yaml and mkdocs.yml
citation: $(SITE_STAMP)
	"$$BIN/python" scripts/write_citation_cff.py

## audit: build, then Lighthouse (npm lighthouse@13 into .cache/) on every page -> reports/, README
audit: $(TEST_STAMP)
	"$$BIN/python" scripts/build.py
	"$$BIN/python" scripts/audit.py

## bench: build-time and memory benchmark (cold, one-figure rebuild, 1-300 studies) -> reports/
bench: $(TEST_STAMP)
	"$$BIN/python" scripts/bench.py

clean:
	rm -rf site .site-build-* .site-build.lock .publish-check-* .deploy-* .pytest_cache .ruff_cache .cache/kit
