# Baozhi Reader — the README's commands. `make run` and `make test` do all the set-up themselves.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test venv system-deps translations bench dist dist-test clean help

help:
	@echo "make run    - set up .venv and open Baozhi Reader on the bundled sample"
	@echo "make test   - set up .venv (with test extras) and run the whole suite offscreen"
	@echo "make bench  - run the benchmarks and print their figures (BENCH_ARGS=--large adds 100k articles: search, window, list)"
	@echo "make dist   - build the one-folder and one-file programs with PyInstaller"
	@echo "make dist-test - build the one-folder program and run its --self-test"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Baozhi Reader needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

system-deps:
	@bash build_scripts/install_system_deps.sh

translations: venv
	@$(PY) build_scripts/build_translations.py

run: venv translations
	$(PY) -m app $(ARGS)

test: venv system-deps translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)
	$(VENV)/bin/lint-imports --no-cache

bench: venv translations
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks.bench_search $(BENCH_ARGS)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks.bench_window
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks.bench_list
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks.bench_insight $(BENCH_ARGS)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks.bench_cli $(BENCH_ARGS)
	$(PY) build_scripts/eval_pages.py
	@case " $(BENCH_ARGS) " in *" --large "*) \
	  QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks.bench_window --articles 100000 && \
	  QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks.bench_list --articles 100000;; esac
	@if [ -f ../shared/data/ner/msra/test.bio ]; then $(PY) build_scripts/eval_ner.py --jieba; \
	else echo "entity figures: ../shared/data/ner/msra/test.bio not found, skipped"; fi
	@echo "entities, modern local news (development part, then the part kept aside):"
	@$(PY) build_scripts/eval_ner.py tests/fixtures/ner/modern/dev_a.txt tests/fixtures/ner/modern/dev_b.txt tests/fixtures/ner/modern/dev_c.txt --jieba
	@$(PY) build_scripts/eval_ner.py tests/fixtures/ner/modern/heldout.txt

dist: venv translations
	$(PY) build_scripts/build_dist.py --measure

dist-test: venv system-deps translations
	$(PY) build_scripts/build_dist.py --onedir --smoke

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis
