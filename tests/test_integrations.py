"""The framework callbacks (traindx.integrations) against the two other routes to the same run:
`traindx run` on the unmodified script, and `traindx diagnose` on the framework's own log. Each
framework trains one healthy and one broken (learning rate far too high) run of the same small
classifier, for real, with the real package."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from traindx.api import diagnose_path

SCRIPTS = Path(__file__).parent / "scripts" / "frameworks"
# framework: (script, package, healthy lr, broken lr); HF's Trainer uses AdamW, the others SGD
FRAMEWORKS = {
    "lightning": ("lightning_fit.py", "lightning", 0.02, 20),
    "transformers": ("transformers_train.py", "transformers", 1e-3, 20),
    "keras": ("keras_fit.py", "keras", 0.02, 20),
    "ignite": ("ignite_run.py", "ignite", 0.02, 20),
    "skorch": ("skorch_fit.py", "skorch", 0.02, 20),
}
CASES = [(fw, case) for fw in FRAMEWORKS for case in ("healthy", "broken")]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KERAS_BACKEND": "torch", "PYTHONPATH": str(SCRIPTS)}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _problems(doc: dict) -> set[str]:
    return {f["problem"] for f in doc["findings"] if f["severity"] != "info"}


@pytest.mark.slow
@pytest.mark.parametrize("framework,case", CASES)
def test_callback_run_and_native_log_agree(framework, case, tmp_path):
    script, package, healthy_lr, broken_lr = FRAMEWORKS[framework]
    if importlib.util.find_spec(package) is None:
        pytest.skip(f"{package} is not installed (pip install 'traindx[frameworks]')")
    lr = str(healthy_lr if case == "healthy" else broken_lr)
    cb = _run([sys.executable, str(SCRIPTS / script), "--lr", lr, "--callback", "cb", "--logs", "logs"], tmp_path)
    assert cb.returncode == 0, cb.stderr[-2000:]
    by_callback = json.loads((tmp_path / "cb" / "report.json").read_text())
    expected = "healthy" if case == "healthy" else "problems"
    assert by_callback["verdict"] == expected, by_callback["findings"]
    # the callback prints the diagnosis at the end of fit, like `traindx run` does
    assert ("✔ healthy" if case == "healthy" else "✘ problems") in cb.stdout
    # the unmodified script under `traindx run`: the same steps, the same problems. (Healthy runs
    # under `traindx run` are in the join and test-split tests below and test_corpus_subset's
    # zero-code cases; run here they cost 40 s of CI for the same answer.)
    if case == "broken":
        zc = _run([sys.executable, "-m", "traindx", "run", "--out", "zc", str(SCRIPTS / script), "--lr", lr,
                   "--logs", "zclogs"], tmp_path)
        assert zc.returncode == 0, zc.stderr[-2000:]
        zero_code = json.loads((tmp_path / "zc" / "report.json").read_text())
        assert zero_code["verdict"] == expected
        assert _problems(zero_code) == _problems(by_callback)
        assert zero_code["run"]["steps"] == by_callback["run"]["steps"] > 0
    if case == "broken":
        assert "learning_rate_too_high" in _problems(by_callback)
    if framework == "lightning" and case == "broken":
        # one line per problem through the `lightning.pytorch` Python logger, and the counts in
        # its metrics logger (CSVLogger here)
        assert "traindx: error: learning_rate_too_high:" in cb.stderr
        metrics = next((tmp_path / "logs").rglob("metrics.csv")).read_text()
        assert "traindx/errors" in metrics.splitlines()[0]

    # the framework's own log: the same verdict from what it holds (it sees less: no per-layer
    # statistics), or "not judged" with the reason
    [(run, diagnosis, _)] = diagnose_path(tmp_path / "logs")
    if diagnosis.verdict == "not judged":
        assert diagnosis.not_judged_reasons
    else:
        assert diagnosis.verdict == expected, [f.summary for f in diagnosis.findings]
        assert {f.problem for f in diagnosis.findings if f.severity.rank} <= _problems(by_callback)
    if framework == "ignite":  # validation logged at the epoch number: put on the iteration axis
        assert any("placed at the end of each epoch" in n for n in run.notes), run.notes
        assert run.series("eval_loss").steps[0] > 10


@pytest.mark.slow
def test_lightning_sanity_check_is_not_an_evaluation_and_ctrl_c_reads_as_interrupted(tmp_path):
    pytest.importorskip("lightning")
    script = str(SCRIPTS / "lightning_fit.py")
    cb = _run([sys.executable, script, "--lr", "0.02", "--callback", "cb", "--interrupt-at", "150"], tmp_path)
    zc = _run([sys.executable, "-m", "traindx", "run", "--out", "zc", script, "--lr", "0.02",
               "--interrupt-at", "150"], tmp_path)
    assert cb.returncode == zc.returncode == 1  # Lightning's own exit code after Ctrl-C, unchanged
    for route in ("cb", "zc"):
        [(run, diagnosis, _)] = diagnose_path(tmp_path / route)
        assert run.ended == "interrupted", route
        assert run.steps == 150
        # the sanity check's two batches before training are not an evaluation at step 0
        eval_steps = run.series("eval_loss").steps
        assert len(eval_steps) == 1 and eval_steps[0] == 110, (route, eval_steps)


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["lightning", "keras"])
def test_callback_inside_traindx_run_joins_its_recording(framework, tmp_path):
    """A script that adds the callback, run under `traindx run`: one recording, not two (the
    callback feeds the run's recorder; Keras' fit gets no second logger)."""
    script, package, lr, _ = FRAMEWORKS[framework]
    if importlib.util.find_spec(package) is None:
        pytest.skip(f"{package} is not installed (pip install 'traindx[frameworks]')")
    both = _run([sys.executable, "-m", "traindx", "run", "--out", "zc", str(SCRIPTS / script), "--lr", str(lr),
                 "--callback", "cb"], tmp_path)
    assert both.returncode == 0, both.stderr[-2000:]
    assert not (tmp_path / "cb").exists()
    joined = json.loads((tmp_path / "zc" / "report.json").read_text())
    # each optimiser step once: Lightning 4 epochs, Keras 8, of 3500 / 32 = 110 batches
    assert joined["run"]["steps"] == {"lightning": 440, "keras": 880}[framework]
    assert joined["verdict"] == "healthy"
    assert both.stdout.count("✔ healthy") == 1  # one report, printed by `traindx run`


def test_plain_script_under_traindx_run_imports_no_framework(tmp_path):
    script = tmp_path / "plain.py"
    script.write_text("import sys\nimport torch\n"
                      "print('loaded:', sorted(m for m in ('lightning', 'transformers', 'keras', 'ignite', "
                      "'skorch') if m in sys.modules))\n")
    done = _run([sys.executable, "-m", "traindx", "run", "--out", "r", str(script)], tmp_path)
    assert "loaded: []" in done.stdout, done.stdout + done.stderr


def test_framework_metric_names_become_eval_series():
    pytest.importorskip("lightning")
    from traindx.integrations import lightning as L
    assert L.eval_metrics({"val_loss": 0.5, "val/acc": 0.9, "train_loss": 0.1, "valid_accuracy_epoch": 0.8,
                           "val_f1": 0.7}) == {"eval_loss": 0.5, "eval_acc": 0.9, "eval_f1": 0.7}
    assert L.eval_metrics({"test_loss": 2.1, "test/acc": 0.4, "val_loss": 0.5}, L.TEST_PREFIXES, "test") == \
        {"test_loss": 2.1, "test_acc": 0.4}
    pytest.importorskip("transformers")
    from traindx.integrations import transformers as T
    train, evals = T.split_logs({"loss": 1.2, "grad_norm": 3.0, "learning_rate": 1e-3, "epoch": 0.5,
                                 "eval_loss": 0.9, "eval_accuracy": 0.7, "eval_runtime": 1.0})
    assert train == {"train_loss": 1.2, "grad_norm_preclip": 3.0, "lr": 1e-3}
    assert evals == {"eval_loss": 0.9, "eval_acc": 0.7}
    assert T.split_logs({"test_loss": 2.0, "test_accuracy": 0.4, "test_runtime": 0.3, "epoch": 4.0}) == \
        ({}, {"test_loss": 2.0, "test_acc": 0.4})
    pytest.importorskip("ignite")
    from traindx.integrations import ignite as I
    assert I.eval_metrics("val", {"loss": 0.4, "accuracy": 0.8}) == {"eval_loss": 0.4, "eval_acc": 0.8}
    assert I.eval_metrics("train", {"nll": 0.3}) == {"train_eval_loss": 0.3}


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["lightning", "transformers"])
def test_test_split_evaluated_after_the_fit_reaches_the_run(framework, tmp_path):
    """`trainer.test()` (Lightning) and `trainer.evaluate(test_set, metric_key_prefix="test")`
    (HF) after the fit, under `traindx run`: the test metrics are the run's test series, and a
    test split whose inputs moved (shift 2.5) is data mismatch against its own control (shift 0)."""
    script, package, lr, _ = FRAMEWORKS[framework]
    if importlib.util.find_spec(package) is None:
        pytest.skip(f"{package} is not installed (pip install 'traindx[frameworks]')")
    found = {}
    for shift in (0, 2.5):
        done = _run([sys.executable, "-m", "traindx", "run", "--out", f"zc{shift}", str(SCRIPTS / script),
                     "--lr", str(lr), "--logs", f"logs{shift}", "--test-shift", str(shift)], tmp_path)
        assert done.returncode == 0, done.stderr[-2000:]
        [(run, diagnosis, _)] = diagnose_path(tmp_path / f"zc{shift}")
        test_acc, eval_acc = run.series("test_acc").values[-1], run.series("eval_acc").values[-1]
        found[shift] = (test_acc, eval_acc, {f.problem for f in diagnosis.findings if f.severity.rank})
    (test0, eval0, problems0), (test1, eval1, problems1) = found[0], found[2.5]
    assert abs(test0 - eval0) < 0.05 and not problems0  # the control: test like val, a healthy run
    assert test1 < eval1 - 0.3 and "data_mismatch" in problems1
