"""Readers for the logs other tools write. Importing this package registers them, most specific
first (the first reader whose sniff accepts a path reads it): Hugging Face, MLflow, TensorBoard,
Lightning, Keras, then generic CSV, JSON lines and YAML, and last printed text logs. The spelling
table is in columns.py."""
from . import json_logs, mlflow_store, tensorboard  # noqa: F401  (Hugging Face before JSONL below)
from . import csv_logs  # noqa: F401
from . import text_logs  # noqa: F401  (last: any .log/.txt with metric lines)

__all__ = ["columns"]
