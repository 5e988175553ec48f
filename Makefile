# The two commands README.md starts with. Both build what they need on a fresh clone.
PYTHON ?= python3
VENV := .venv
PACK_VENV := policy/.venv

.PHONY: preview test lint venv clean

# Options for the offline preview, e.g. make preview ARGS="--sarif preflight.sarif --markdown preflight.md"
ARGS ?=

preview: $(VENV)/.installed $(PACK_VENV)/.installed
	$(VENV)/bin/python -m preflight $(ARGS)

test: $(VENV)/.installed $(PACK_VENV)/.installed
	$(VENV)/bin/python -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

venv: $(VENV)/.installed $(PACK_VENV)/.installed

# Say so plainly when the interpreter is too old, instead of failing inside pip on a pinned package.
PYTHON_CHECK = $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "secure-aws needs Python 3.11 or later: make PYTHON=python3.11 ...")'

$(VENV)/.installed: requirements.txt requirements-dev.txt policy/requirements.txt
	@$(PYTHON_CHECK)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The policy pack runs in its own virtualenv, as `pulumi preview --policy-pack policy` would run it.
$(PACK_VENV)/.installed: policy/requirements.txt
	@$(PYTHON_CHECK)
	$(PYTHON) -m venv $(PACK_VENV)
	$(PACK_VENV)/bin/pip install --quiet --disable-pip-version-check -r policy/requirements.txt
	touch $@

clean:
	rm -rf $(VENV) $(PACK_VENV)
