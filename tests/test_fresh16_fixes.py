"""Fixes of the fresh16 round (and the older misses it took up), each on a real log or a real small
training that showed the error, judged against its author's label."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import ROOT

from traindx.api import diagnose_path
from traindx.runs import load_runs

LOGS = ROOT / "tests" / "fixtures" / "corpus_logs"


def _flagged(report) -> set[str]:
    return {f.problem for f in report.diagnosis.findings if f.severity.rank >= 1}


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_a_bare_recall_bounds_the_balanced_accuracy(tmp_path: Path):
    """Keras' `Recall()` logs the positive class's recall as `recall`; torchmetrics' multiclass
    default logs the mean over classes. Either way the balanced accuracy is at most (1 + r) / 2:
    97% accuracy with a recall of 2% is the frequent class carrying it. The same accuracy with a
    recall of 90% says nothing of the kind."""
    epochs = range(1, 13)
    missed = _write(tmp_path / "missed.csv", "epoch,loss,accuracy,recall,val_loss,val_accuracy,val_recall",
                    [f"{e},{0.3 / e:.4f},0.97,0.01,{0.2 / e ** 0.5:.4f},0.968,0.02" for e in epochs])
    report = diagnose_path(missed)[0]
    assert "class_imbalance" in _flagged(report), report.diagnosis.findings
    summary = next(f.summary for f in report.diagnosis.findings if f.problem == "class_imbalance")
    assert "at most 51.0%" in summary and "recall of 2.0%" in summary
    recalled = _write(tmp_path / "recalled.csv", "epoch,loss,accuracy,recall,val_loss,val_accuracy,val_recall",
                      [f"{e},{0.3 / e:.4f},0.97,0.9,{0.2 / e ** 0.5:.4f},0.968,0.9" for e in epochs])
    assert "class_imbalance" not in _flagged(diagnose_path(recalled)[0])


def test_keras_tensorboard_epoch_recall_of_a_rare_fault():
    """fresh15: a Keras TensorBoard log (`train/epoch_recall`, `validation/epoch_recall`) of a 3%
    fault detector at 97% accuracy whose recall stayed at 0."""
    report = diagnose_path(LOGS / "fresh15_tool_logs" / "class_imbalance_keras_tb_rare_fault_recall" / "logs")[0]
    assert "eval_recall" in report.run.scalars
    assert "class_imbalance" in _flagged(report), report.diagnosis.findings


def test_mmcv_log_json_splits_by_mode_and_counts_iterations_on():
    """mmcv's `*.log.json`: `"mode": "train"` / `"mode": "val"` records, `iter` counted from the
    start of each epoch, accuracy and recall in percent. Read before: the val record's recall as a
    train metric and the steps folded into one epoch ("3 train points over 63 steps": not judged)."""
    log = LOGS / "fresh11_log_formats" / "class_imbalance_mmcv_log_json_rare_faults" / "20240611_101500.log.json"
    run = load_runs(log)[0]
    train = run.series("train_loss")
    assert len(train) == 36 and np.all(np.diff(train.steps) > 0)
    assert run.series("eval_acc").values.max() <= 1.0 and "train_recall" not in run.scalars
    assert any("restarts every epoch" in n for n in run.notes)
    report = diagnose_path(log)[0]
    assert report.diagnosis.verdict == "problems"
    assert "class_imbalance" in _flagged(report), report.diagnosis.findings


def test_a_batch_counter_from_zero_is_counted_on_across_epochs(tmp_path: Path):
    """A `batch` column counting 0..99 in each epoch: epoch 2's batch 0 is step 100, not a second
    point at step 0; a step column that falls with no new epoch (a resumed run) stays as it is."""
    rows = [f"{e},{b},{2.0 / (1 + (e - 1) + b / 100):.4f}" for e in (1, 2, 3) for b in (0, 50, 99)]
    run = load_runs(_write(tmp_path / "batches.csv", "epoch,batch,loss", rows))[0]
    assert list(run.series("train_loss").steps) == [0, 50, 99, 100, 150, 199, 200, 250, 299]
    resumed = [f"1,{s},{1.0 / (1 + s):.4f}" for s in (0, 10, 20)] + [f"1,{s},{1.0 / (1 + s):.4f}" for s in (10, 20, 30)]
    run = load_runs(_write(tmp_path / "resumed.csv", "epoch,step,loss", resumed))[0]
    assert not any("restarts every epoch" in n for n in run.notes)
