#!/usr/bin/env bash
# Install traindx and its test tools. torch is installed first, pinned to the CPU wheel, so that
# `torch>=2.2` in pyproject.toml does not pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q "torch==2.13.0"
python3 -m pip install -q -e ".[dev]"
