"""Fixes of the fresh15 round (and the fresh14 misses it took up), each on the corpus case that
showed the error: real logs written by the case scripts, judged by their authors' labels."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT

from traindx.api import diagnose_path
from traindx.runs import load_runs

KAGGLE = ROOT / "tests" / "fixtures" / "corpus_logs" / "fresh14_kaggle_notebooks"


def _flagged(report) -> set[str]:
    return {f.problem for f in report.diagnosis.findings if f.severity.rank >= 1}


def test_folds_stacked_in_one_csv_are_one_run_each():
    """A k-fold notebook's history of 4 folds (a `fold` column, epochs from 0 in each) whose
    predictions were detached: merged, four models' losses zig-zagged into one curve that "rose
    3e-7%"; one run per fold shows each loss identical to every digit: weights that never move."""
    reports = diagnose_path(KAGGLE / "non_convergence_titanic_like_predictions_detached_for_auc"
                            / "fold_history.csv")
    assert [r.run.path.rsplit("[", 1)[1] for r in reports] == ["fold 0]", "fold 1]", "fold 2]", "fold 3]"]
    for r in reports:
        assert len(r.run.series("train_loss")) == 15
        assert "non_convergence" in _flagged(r), r.diagnosis.findings
        assert "identical" in next(f.summary for f in r.diagnosis.findings if f.problem == "non_convergence")


def test_early_stopped_folds_are_not_overfitting_but_folds_run_to_the_end_are():
    """Keras EarlyStopping(patience=5, restore_best_weights) ended each fold 5 epochs after its best
    val_loss, at 10, 19 and 14 epochs: the rise in those 5 epochs is what stopped it. Three folds
    of a big net trained 60 epochs each with no early stopping rise and stay up: overfitting."""
    stopped = load_runs(KAGGLE / "healthy_keras_kfold_earlystopping_restore_best_train_loss_to_zero"
                        / "keras_cv_history.csv")
    assert [len(r.series("eval_loss")) for r in stopped] == [10, 19, 14]
    assert {r.meta["early_stopping_patience"] for r in stopped} == {5}
    for r in diagnose_path(KAGGLE / "healthy_keras_kfold_earlystopping_restore_best_train_loss_to_zero"
                           / "keras_cv_history.csv"):
        assert "overfitting" not in _flagged(r), r.diagnosis.findings
    ran_out = diagnose_path(KAGGLE / "overfitting_kfold_big_net_300_rows_no_early_stop" / "history.csv")
    assert len(ran_out) == 3
    assert all("early_stopping_patience" not in r.run.meta for r in ran_out)
    assert all("overfitting" in _flagged(r) for r in ran_out)


def test_a_seed_column_on_one_global_step_axis_is_one_run(tmp_path: Path):
    """A `seed` column that only labels one continuous step axis is no split (the axes of the
    parts do not overlap: one training, logged with its seed)."""
    rows = ["step,seed,loss,val_loss"] + [f"{s},7,{2.0 / (1 + s / 10):.4f},{2.1 / (1 + s / 12):.4f}"
                                         for s in range(0, 300, 10)]
    rows += [f"{s},8,{2.0 / (1 + s / 10):.4f},{2.1 / (1 + s / 12):.4f}" for s in range(300, 600, 10)]
    log = tmp_path / "log.csv"
    log.write_text("\n".join(rows) + "\n")
    runs = load_runs(log)
    assert len(runs) == 1 and len(runs[0].series("train_loss")) == 60


def test_data_mismatch_from_val_and_test_accuracy_without_a_train_accuracy(tmp_path: Path):
    """A JSON-lines log with val and test accuracy but no train accuracy (the Bayes-gap analysis
    needs one): the test set from another scanner ends at 56% error beside validation at 2%."""
    log = (ROOT / "tests" / "fixtures" / "corpus_logs" / "fresh14_messy_logs"
           / "data_mismatch_jsonl_events_shifted_scanner_digits" / "trainer_log.jsonl")
    (report,) = diagnose_path(log)
    found = {f.problem: f for f in report.diagnosis.findings}
    assert "data_mismatch" in found and found["data_mismatch"].severity.rank >= 1
    assert "53.9 points above the validation error (2.1%)" in found["data_mismatch"].summary
    # the same log with its test columns taken out: nothing to compare
    lines = [json.dumps({k: v for k, v in json.loads(line).items() if not k.startswith("test")})
             for line in log.read_text().splitlines()]
    (tmp_path / "no_test.jsonl").write_text("\n".join(lines) + "\n")
    (bare,) = diagnose_path(tmp_path / "no_test.jsonl")
    assert "data_mismatch" not in {f.problem for f in bare.diagnosis.findings}


FINAL_EVAL_SCRIPT = """
import torch
from torch import nn
from torch.nn import functional as F
torch.manual_seed(0)
x = torch.randn(400, 20); w = torch.randn(20, 4); y = (x @ w + 0.5 * torch.randn(400, 4)).argmax(1)
xtr, ytr, xva, yva = x[:60], y[:60], x[60:], y[60:]   # 60 training examples: a gap to validation
model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 4))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for step in range(1, 301):
    i = torch.randint(0, 60, (16,))
    loss = F.cross_entropy(model(xtr[i]), ytr[i])
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 20 == 0:
        with torch.no_grad():
            vl = F.cross_entropy(model(xva), yva).item()   # one full-batch call
with torch.no_grad():                                      # a final look at the training set
    tl = F.cross_entropy(model(xtr), ytr).item()
print(f"final val {vl:.6f} train {tl:.6f}")
"""


def test_a_final_evaluation_of_another_split_is_kept_out_of_the_eval_loss(tmp_path: Path):
    """A script that evaluates validation in one full-batch call every 20 steps, then the training
    set once more after its last step: the two calls close one evaluation phase at step 300; the
    last eval loss is validation's, not their mix (fresh14: a rising validation loss whose last
    point was pulled 11% down by the 60 training images)."""
    from conftest import traindx
    script = tmp_path / "train.py"
    script.write_text(FINAL_EVAL_SCRIPT)
    proc = traindx("run", "--out", str(tmp_path / "run"), str(script), timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    val, train = (float(v) for v in proc.stdout.split("final val ")[1].split()[0::2][:2])
    (run,) = load_runs(tmp_path / "run")
    ev, extra = run.series("eval_loss"), run.series("eval_loss_extra")
    assert len(ev) == 15 and abs(ev.values[-1] - val) <= 1e-4 * max(val, 1)
    assert extra is not None and abs(extra.values[-1] - train) <= 1e-4 * max(train, 1e-3)
    assert any("eval_loss_extra" in n for n in run.notes)
