# Every target bootstraps .venv from the pinned requirements, then hands over
# to the invoke task of the same name (see tasks.py).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: serve build rebuild clean test fetch publish rollback bench bench-fetch bench-knowledge check new-article new-issue import-response translations install

install: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

serve build rebuild clean test fetch publish rollback bench bench-fetch bench-knowledge check new-article new-issue import-response translations: $(STAMP)
	$(BIN)/invoke $@ $(ARGS)
