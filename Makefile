# The two commands README.md starts with. Both build what they need on a fresh clone.
PYTHON ?= python3
VENV := .venv
PACK_VENV := policy/.venv

.PHONY: preview test lint venv verify clean

# Options for the offline preview, e.g. make preview ARGS="--sarif preflight.sarif --markdown preflight.md"
ARGS ?=

preview: $(VENV)/.installed $(PACK_VENV)/.installed
	$(VENV)/bin/python -m preflight $(ARGS)

# After `pulumi up`: check the deployed stack with read-only AWS calls, e.g.
# make verify ARGS="--stack prod --json" or ARGS="--outputs outputs.json --invoke" (see README, "Deploying for real").
verify: $(VENV)/.installed
	$(VENV)/bin/python -m verify $(ARGS)

test: $(VENV)/.installed $(PACK_VENV)/.installed
	$(VENV)/bin/python -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/python -m mypy

# Every generated file, rewritten by its generator: the taggable types from the installed pulumi-aws (slow: it
# imports all of pulumi-aws), policy/README.md from the policies' metadata, and the README's diagram with
# docs/architecture.svg (+ .mmd) from the prod stack, the README's configuration table from settings.KEYS. Run it after changing a policy, the program or a pin.
.PHONY: generate check-generated
generate: $(VENV)/.installed $(PACK_VENV)/.installed
	$(VENV)/bin/python policy/tools/generate_taggable_types.py
	$(VENV)/bin/python policy/tools/generate_kms_key_types.py
	$(VENV)/bin/python policy/tools/generate_resource_policy_types.py
	cd policy && ../$(VENV)/bin/python -m secure_aws_policies.docs
	$(VENV)/bin/python -m preflight.diagram --readme README.md docs/architecture.svg
	$(VENV)/bin/python -m config_docs README.md

# Fails, naming the file, when `make generate` would change one. The diagram is compared as the README block and
# docs/architecture.mmd, the text the SVG is rendered from (the SVG bytes depend on the local Graphviz version).
check-generated: $(VENV)/.installed $(PACK_VENV)/.installed
	$(VENV)/bin/python policy/tools/generate_taggable_types.py --check
	$(VENV)/bin/python policy/tools/generate_kms_key_types.py --check
	$(VENV)/bin/python policy/tools/generate_resource_policy_types.py --check
	cd policy && ../$(VENV)/bin/python -m secure_aws_policies.docs --check
	$(VENV)/bin/python -m config_docs --check README.md
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cp README.md "$$tmp/README.md" \
	  && $(VENV)/bin/python -m preflight.diagram --readme "$$tmp/README.md" "$$tmp/architecture.mmd" >/dev/null \
	  && if ! cmp -s README.md "$$tmp/README.md" || ! cmp -s docs/architecture.mmd "$$tmp/architecture.mmd"; then \
	    echo "README.md's diagram or docs/architecture.mmd is out of date: run make generate" >&2; exit 1; fi

venv: $(VENV)/.installed $(PACK_VENV)/.installed

# Say so plainly when the interpreter is too old, instead of failing inside pip on a pinned package.
PYTHON_CHECK = $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "secure-aws needs Python 3.11 or later: make PYTHON=python3.11 ...")'

$(VENV)/.installed: requirements.txt requirements-dev.txt policy/requirements.txt
	@$(PYTHON_CHECK)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The policy pack runs in its own virtualenv, as `pulumi preview --policy-pack policy` would run it.
$(PACK_VENV)/.installed: policy/requirements.txt
	@$(PYTHON_CHECK)
	$(PYTHON) -m venv $(PACK_VENV)
	$(PACK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r policy/requirements.txt
	touch $@

clean:
	rm -rf $(VENV) $(PACK_VENV)
