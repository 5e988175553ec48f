# The two commands README.md starts with. Both build what they need on a fresh clone.
PYTHON ?= python3
VENV := .venv
PACK_VENV := policy/.venv

.PHONY: preview test lint venv clean

preview: $(VENV)/.installed $(PACK_VENV)/.installed
	$(VENV)/bin/python -m preflight

test: $(VENV)/.installed $(PACK_VENV)/.installed
	$(VENV)/bin/python -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

venv: $(VENV)/.installed $(PACK_VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt policy/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The policy pack runs in its own virtualenv, as `pulumi preview --policy-pack policy` would run it.
$(PACK_VENV)/.installed: policy/requirements.txt
	$(PYTHON) -m venv $(PACK_VENV)
	$(PACK_VENV)/bin/pip install --quiet --disable-pip-version-check -r policy/requirements.txt
	touch $@

clean:
	rm -rf $(VENV) $(PACK_VENV)
