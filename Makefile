# All set-up lives here so that two commands work on a fresh machine:
#   make demo   index seeds/ and answer a Danish question with the bundled models
#   make test   run the test suite (lint, type check, every test including the real models)
#   make test-fast   the developer loop: lint + tests without real models (target < 15 s)
VENV ?= .venv
PY := $(VENV)/bin/python
RAG := $(VENV)/bin/rag
QUESTION ?= Hvornår blev reformen Børnene Først vedtaget?
# MODEL=qwen2.5-coder-1.5b (or any name `rag models` lists, or a .gguf path): pulled first if needed.
MODEL ?=

.PHONY: setup demo test test-fast typecheck lint bench clean

setup: $(VENV)/.installed

# llama.cpp is compiled for this CPU (-march=native), but on x86-64 without Intel AMX: a native
# build of llama-cpp-python 0.3.36 on a Sapphire Rapids VM died with SIGILL on its first matrix
# product (AMX tile instructions on worker threads, llama.cpp PR #26954); AVX-512 stays on.
# --no-cache-dir: pip's wheel cache may hold a build made without these flags.
ifeq ($(shell uname -m),x86_64)
NO_AMX := -mno-amx-tile -mno-amx-int8 -mno-amx-bf16
LLAMA_CMAKE_ARGS ?= -DCMAKE_C_FLAGS='$(NO_AMX)' -DCMAKE_CXX_FLAGS='$(NO_AMX)'
endif

# torch is installed first and pinned to the CPU build: an unpinned torch pulls a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	CMAKE_ARGS="$$CMAKE_ARGS $(LLAMA_CMAKE_ARGS)" $(PY) -m pip install -q --no-cache-dir 'llama-cpp-python>=0.3'
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

demo: setup
	$(if $(MODEL),[ -f "$(MODEL)" ] || $(RAG) models pull "$(MODEL)")
	$(RAG) index seeds
	$(RAG) ask "$(QUESTION)" $(if $(MODEL),--model "$(MODEL)")

test: setup
	$(PY) -m ruff check rag tests bench
	$(PY) -m mypy
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(PY) -m pytest -q

# No real models (tests marked slow load them) and nothing heavy (processes, servers, IVF-PQ
# training, lingua); markers are strict (pyproject), so a typo'd marker fails instead of silently
# running a slow test here. Bytecode is cached even where the shell sets PYTHONDONTWRITEBYTECODE
# (recompiling every test module and rag costs ~2-3 s a run); hypothesis runs its `fast` profile;
# the pytest plugins of anyio and platformdirs (installed as dependencies, used by no test) stay out.
test-fast: setup
	$(PY) -m ruff check rag tests bench
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -m "not slow and not heavy" -p no:cacheprovider \
		-p no:anyio -p no:platformdirs

typecheck: setup
	$(PY) -m mypy

lint: setup
	$(PY) -m ruff check rag tests bench

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf .rag .pytest_cache .ruff_cache .mypy_cache .hypothesis
