# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run example test lint bench mutate clean

# pip 23.2 (shipped with Python 3.11.7) mishandles lxml[html_clean], which trafilatura needs,
# so pip is upgraded inside the virtualenv before anything else is installed.
$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

## Set up and run the bot: Slack/Discord when their tokens are set (.env), else a console chat.
run: $(VENV)/.installed-run
	$(BIN)/newsbrief run

## Set up and summarize the bundled example article.
example: $(VENV)/.installed-run
	$(BIN)/newsbrief summarize examples/bbc-us-mexico-migration.txt

## Set up and run every check: lint, format and the whole test suite.
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Benchmarks read the large data sets from the shared data folder beside the checkout
## (benchmarks/_data.py); DATA=path points them elsewhere.
DATA ?=
DATA_OPTION := $(if $(DATA),--data $(DATA))
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/summary_quality.py $(DATA_OPTION)
	$(BIN)/python benchmarks/speed.py $(DATA_OPTION)
	$(BIN)/python benchmarks/extraction.py $(DATA_OPTION)
	$(BIN)/python benchmarks/number_accuracy.py $(DATA_OPTION)
	$(BIN)/python benchmarks/language_detection.py $(DATA_OPTION)
	$(BIN)/python benchmarks/clustering.py $(DATA_OPTION)
	$(BIN)/python benchmarks/digest_scale.py $(DATA_OPTION)
	$(BIN)/python benchmarks/slack_ack.py $(DATA_OPTION)
	$(BIN)/python benchmarks/discord_interactions.py $(DATA_OPTION)
	$(BIN)/python benchmarks/summary_quality_es.py $(DATA_OPTION)
	$(BIN)/python benchmarks/figures_speed.py $(DATA_OPTION)
	$(BIN)/python benchmarks/soak.py $(DATA_OPTION)

## Mutation testing, on demand and never in CI (slow: minutes per module on two cores). mutmut
## mutates the modules listed in setup.cfg and runs, for each mutant, the tests that reach it;
## see docs/testing.md. It works in a scratch copy of the checkout (tracked and new files), so
## mutmut's mutants/ folder never lands in the tree. MUTATE narrows it to some functions, e.g.
## make mutate MUTATE='bot.web.netguard*'
MUTATE ?=
MUTATE_DIR ?= /tmp/newsbrief-mutate
$(VENV)/.installed-mutate: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,mutate]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-run

mutate: $(VENV)/.installed-mutate
	rm -rf $(MUTATE_DIR) && mkdir -p $(MUTATE_DIR)
	git ls-files --cached --others --exclude-standard \
		| tar --ignore-failed-read -cf - -T - | tar -xf - -C $(MUTATE_DIR)
	cd $(MUTATE_DIR) && $(abspath $(BIN))/mutmut run $(if $(MUTATE),'$(MUTATE)')
	cd $(MUTATE_DIR) && $(abspath $(BIN))/mutmut results

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
