#!/usr/bin/env bash
# Set up, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# the frameworks the corpus subset runs (Lightning, HF Trainer, Keras 3, skorch, Ignite)
python3 -m pip install -q -e ".[dev,frameworks]"
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
# one worker per core (the trainings in the tests are single-threaded); each takes the next test
python3 -m pytest -n auto --dist worksteal "$@"
