"""Readers for the logs other tools write. Importing this package registers them, most specific
first (the first reader whose sniff accepts a path reads it): Hugging Face, MLflow, TensorBoard,
Lightning, Keras, then generic CSV and JSON lines. The spelling table is in columns.py."""
from . import json_logs, mlflow_store, tensorboard  # noqa: F401  (Hugging Face before JSONL below)
from . import csv_logs  # noqa: F401

__all__ = ["columns"]
