# relu-explainer: `make video` renders the explainer, `make test` runs the tests.
# Both install what is missing first (Debian packages, then a .venv); a second run skips the installs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
CLI    := $(VENV)/bin/relu-explainer
STAMP  := $(VENV)/.installed
SCENE  ?= ApproximateSquare

.PHONY: setup system-deps video test preview golden bench bench-full clean help

help:
	@echo "make video             install what is missing, render the explainer into media/"
	@echo "make test              install what is missing, run the tests"
	@echo "make preview SCENE=X   render one scene fast (480p15), print its path; WATCH=1 renders again on every save"
	@echo "make golden            regenerate the golden frames under tests/golden/"
	@echo "make bench             time the renders; writes bench/results.json"
	@echo "make bench-full        also the explainer against b8f8dea, a profile per scene, 4K memory (about 40 min)"
	@echo "make setup             only install"

system-deps:
	@scripts/system-deps.sh $(SYSTEM_DEPS_FLAGS)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,voice,batch,notebook]'
	@touch $@

setup: system-deps $(STAMP)

video: setup
	$(CLI) render --quality high --no-cache

test: SYSTEM_DEPS_FLAGS = --test
test: setup
	@$(PY) -m pytest --cov=relu_core --cov-report=term:skip-covered --cov-fail-under=98; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

preview: setup
	$(CLI) preview $(SCENE) $(if $(WATCH),--watch)

golden: setup
	$(PY) -m tests.golden_frames --regenerate

bench: setup
	$(PY) bench/run.py

bench-full: setup
	$(PY) bench/run.py --full

clean:
	rm -rf media .pytest_cache tests/_failures
