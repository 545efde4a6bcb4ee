# The single entry point.  `make` = set up + check the bundled dossiers + build the site.
#                          `make test` = the whole test suite (what CI runs).
VENV := .venv
BIN  := $(VENV)/bin

.PHONY: all setup check site test lint fuzz bench bench-site clean

all: check site

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/bootstrap.sh scripts/editor/package-lock.json
	scripts/bootstrap.sh

check: setup
	$(BIN)/dangan check
	$(BIN)/dangan teams check

site: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	@echo "站点已生成：用浏览器直接打开 site/index.html 即可（搜索、花名册都能用；mkdocs serve 可选）"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup lint
	$(BIN)/pytest -n auto -q

FUZZ_SECONDS ?= 60
fuzz: setup   # the mutational fuzzer of every reader (dossiers, history, ledgers, .lrmx, .xlsx); crashes kept in tests/fuzz/crashes/
	$(BIN)/python tests/fuzz/fuzz_load.py --seconds $(FUZZ_SECONDS)

bench: setup
	$(BIN)/python bench/run.py

bench-site: setup
	$(BIN)/python bench/site.py

clean:
	rm -rf site .dangan-cache
