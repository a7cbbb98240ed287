# Set-up is part of every target: the venv, the pinned dependencies and a
# trained model are made when missing or out of date.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)

# Every process the project starts: no telemetry, project packages importable.
export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
# Defaults for endpoints.yml; each can be overridden from the environment.
export HOST ?= 127.0.0.1
export RASA_PORT ?= 5005
export ACTION_PORT ?= 5055
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTION_PORT)/webhook
# The web app (demo page, widget, /book): see web/__main__.py.
export WEB_PORT ?= 8000
export WEB_DB ?= var/web.db
export TRACKER_STORE_URL ?= sqlite:///var/tracker.db
export LOCK_STORE_TYPE ?= in_memory
export LOCK_STORE_HOST ?= 127.0.0.1
export LOCK_STORE_PORT ?= 6379

.PHONY: help install model run shell test eval bench lint format validate lock clean purge erase \
	staff-password retrain

help:
	@echo "make run    start the assistant (action server + Rasa server)"
	@echo "make test   lint, validate, train if needed, and run every test"
	@echo "make shell  chat with the assistant in this terminal"
	@echo "make eval   NLU evaluation on the held-out set, beside Rasa's default pipeline"
	@echo "make bench  load test and benchmarks beside the rasa init bot (docs/benchmarks.md)"
	@echo "make purge  erase conversations older than retention_days (clinic.yml)"
	@echo "make erase SENDER=id    erase one conversation"
	@echo "make staff-password     make a STAFF_PASSWORD_HASH for the staff console"
	@echo "make retrain            validate, train, test, compare, and put live if every gate passes"

$(INSTALLED): requirements.lock scripts/make-venv
	@scripts/make-venv $(VENV)
	@rm -f $(VENV)/.installed-* && touch $@

install: $(INSTALLED)

# Rasa compares the data's fingerprint with the last training and skips
# unchanged parts; a fixed seed in config.yml makes training repeat.
model: $(INSTALLED)
	@mkdir -p var
	$(BIN)/rasa train --fixed-model-name clinic --out models --quiet

run: model
	@scripts/run

shell: model
	@mkdir -p var
	@SANIC_HOST=127.0.0.1 $(BIN)/rasa run actions --actions actions --port $(ACTION_PORT) >var/actions-shell.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	  $(BIN)/rasa shell --model models --endpoints endpoints.yml

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

validate: $(INSTALLED)
	$(BIN)/rasa data validate --fail-on-warnings --quiet

test: lint validate
	$(BIN)/python -m pytest tests/unit tests/actions tests/web -q
	@$(MAKE) --no-print-directory model
	@scripts/install-chromium
	$(BIN)/python -m pytest tests/integration tests/browser -q

# Trains Rasa's default pipeline on the same data (about 5 minutes) and reports
# both side by side; the last line is one line of figures. Report in reports/.
eval: model
	$(BIN)/python scripts/evaluate_nlu.py

# Load test on loopback (our servers and the `rasa init` starter bot, same load),
# resources, cold start, full training and fine-tuning (10 to 20 minutes, not part
# of `make test`). Rewrites docs/benchmarks.md; the last line is one line of figures.
bench: model
	$(BIN)/python scripts/bench.py --write-doc

# Retention and erasure (also in the staff console): tracker store events,
# booking hand-offs and reviews. Schedule `make purge` daily.
purge: $(INSTALLED)
	$(BIN)/python -m web.staff.erasure purge

erase: $(INSTALLED)
	@test -n "$(SENDER)" || { echo "usage: make erase SENDER=<conversation id>"; exit 2; }
	$(BIN)/python -m web.staff.erasure erase "$(SENDER)"

# Needs the running Rasa server (make run) and its RASA_AUTH_TOKEN.
retrain: $(INSTALLED)
	$(BIN)/python -m retrain

staff-password: $(INSTALLED)
	@$(BIN)/python -m web.staff.passwords

lock: $(INSTALLED)
	$(BIN)/uv pip compile --quiet requirements.in --python-version 3.10 -o requirements.lock

clean:
	rm -rf models/*.tar.gz .rasa results reports
