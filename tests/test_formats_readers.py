"""Each log format, written the way its tool writes it: detected by itself, an overfitting run and a
diverging run diagnosed, through the API and the CLI."""
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fixtures.logs import writers
from traindx.api import diagnose_path
from traindx.cli import app
from traindx.errors import InputError
from traindx.runs import load_runs

runner = CliRunner()
DIVERGED = {"non_finite", "exploding_gradients", "non_convergence"}


def _tb(tmp_path, kind):
    pytest.importorskip("tensorboard")
    return writers.tensorboard(tmp_path / "tb", kind)


FORMATS = {
    "lightning": lambda t, k: writers.lightning(t, k),
    "keras": lambda t, k: writers.keras(t / "training.log", k),
    "huggingface": lambda t, k: writers.huggingface(t / "out", k),
    "mlflow": lambda t, k: writers.mlflow(t, k).parents[1],
    "tensorboard": _tb,
    "jsonl": lambda t, k: writers.jsonl(t / "metrics.jsonl", k),
    "csv": lambda t, k: writers.plain_csv(t / "log.csv", k),
}


def problems(diagnosis, min_rank=1):
    return {f.problem for f in diagnosis.findings if f.severity.rank >= min_rank}


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_is_detected_and_signals_named(tmp_path, fmt):
    path = FORMATS[fmt](tmp_path, "healthy")
    [run] = load_runs(path)
    assert run.source_format == fmt
    assert run.has("train_loss") and run.has("eval_loss")
    assert run.notes[0].startswith("signals read: ")


@pytest.mark.parametrize("fmt", FORMATS)
def test_overfitting_run(tmp_path, fmt):
    [(run, diag, _)] = diagnose_path(FORMATS[fmt](tmp_path, "overfit"))
    assert "overfitting" in problems(diag)
    finding = next(f for f in diag.findings if f.problem == "overfitting")
    assert finding.evidence["eval_rise"] > 0.1 and finding.evidence["train_drop_since_best"] > 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_diverging_run(tmp_path, fmt):
    [(run, diag, _)] = diagnose_path(FORMATS[fmt](tmp_path, "diverge"))
    assert problems(diag) & DIVERGED
    assert "non_finite" in problems(diag)


@pytest.mark.parametrize("fmt", FORMATS)
def test_healthy_run_passes_check(tmp_path, fmt):
    res = runner.invoke(app, ["check", str(FORMATS[fmt](tmp_path, "healthy"))])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("ok")


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_json_and_check_exit_code(tmp_path, fmt):
    over = FORMATS[fmt](tmp_path / "a", "overfit")
    div = FORMATS[fmt](tmp_path / "b", "diverge")
    doc = json.loads(runner.invoke(app, ["diagnose", str(over), "--format", "json"]).output)
    assert doc["run"]["format"] == fmt and "overfitting" in {f["problem"] for f in doc["findings"]}
    res = runner.invoke(app, ["check", str(div)])
    assert res.exit_code == 1 and res.output.startswith("FAIL") and "non_finite(error)" in res.output


def test_lightning_sparse_rows_keep_blank_cells_out(tmp_path):
    [run] = load_runs(writers.lightning(tmp_path, "healthy"))
    # train loss logged every 5 steps (step-level column wins over the epoch one), eval once an epoch
    assert len(run.series("train_loss")) == writers.EPOCHS * writers.STEPS_PER_EPOCH // 5
    assert len(run.series("eval_loss")) == writers.EPOCHS
    assert run.meta["hparams"] == {"hidden": 64, "lr": 0.001}
    assert "train_loss_epoch" in run.scalars  # kept under its own name


def test_lightning_metrics_csv_file_and_versions_folder(tmp_path):
    writers.lightning(tmp_path, "healthy", version=0)
    writers.lightning(tmp_path, "overfit", version=1)
    runs = load_runs(tmp_path / "lightning_logs")
    assert [r.source_format for r in runs] == ["lightning", "lightning"]
    [one] = load_runs(tmp_path / "lightning_logs" / "version_1" / "metrics.csv")
    assert one.meta["hparams"]["hidden"] == 64


def test_huggingface_summary_entry_is_not_a_point(tmp_path):
    [run] = load_runs(writers.huggingface(tmp_path / "out", "healthy"))
    loss = run.series("train_loss")
    assert 0.123 not in loss.values and run.ended == "completed"
    # the Trainer's grad_norm is what clip_grad_norm_ returns: the norm before clipping
    assert run.has("grad_norm_preclip") and run.has("lr") and run.has("eval_acc")
    assert any("exploding_gradients checked from grad_norm_preclip only" in n for n in run.notes)


def test_huggingface_latest_checkpoint_is_read(tmp_path):
    out = tmp_path / "out"
    writers.huggingface(out, "healthy", checkpoint=100)
    writers.huggingface(out, "overfit", checkpoint=200)
    [(run, diag, _)] = diagnose_path(out)
    assert "overfitting" in problems(diag)
    assert any("checkpoint-200" in n for n in run.notes)


def test_huggingface_diverging_grad_norm_explodes(tmp_path):
    [(run, diag, _)] = diagnose_path(writers.huggingface(tmp_path / "out", "diverge"))
    assert "exploding_gradients" in problems(diag)


def test_mlflow_store_with_several_runs(tmp_path):
    writers.mlflow(tmp_path, "healthy", run_id="r1")
    writers.mlflow(tmp_path, "overfit", run_id="r2")
    runs = load_runs(tmp_path / "mlruns")
    assert [r.meta["run_id"] for r in runs] == ["r1", "r2"]
    assert all(r.ended == "completed" and r.has("lr") for r in runs)
    [one] = load_runs(tmp_path / "mlruns" / "0" / "r2")
    assert one.meta["params"] == {"lr": "0.001"}


def test_tensorboard_histograms_feed_per_layer_gradients(tmp_path):
    pytest.importorskip("tensorboard")
    path = writers.tensorboard(tmp_path / "tb", "vanish", histograms=True)
    [(run, diag, _)] = diagnose_path(path)
    assert run.params.layers == ["fc1.weight", "fc2.weight", "fc3.weight", "fc4.weight"]
    assert {"grad_norm", "weight_norm"} <= set(run.params.stats)
    assert "vanishing_gradients" in problems(diag)


def test_tensorboard_single_event_file_and_keras_split_folders(tmp_path):
    tb = pytest.importorskip("torch.utils.tensorboard")
    [event_file] = writers.tensorboard(tmp_path / "tb", "overfit").glob("*tfevents*")
    assert load_runs(event_file)[0].has("eval_loss")
    for split, losses in (("train", [1.0, 0.5, 0.3, 0.2]), ("validation", [1.0, 0.8, 0.9, 1.1])):
        writer = tb.SummaryWriter(str(tmp_path / "keras" / split))
        for epoch, loss in enumerate(losses):
            writer.add_scalar("epoch_loss", loss, epoch)
        writer.close()
    [run] = load_runs(tmp_path / "keras")
    assert list(run.series("eval_loss").values) == pytest.approx([1.0, 0.8, 0.9, 1.1])
    assert list(run.series("train_loss").values) == pytest.approx([1.0, 0.5, 0.3, 0.2])


def test_skorch_history_is_read_by_epoch(tmp_path):
    import json as _json
    hist = [{"epoch": e, "train_loss": 1.0 / e, "valid_loss": 1.2 / e, "valid_acc": 0.5 + e / 100,
             "valid_loss_best": True, "dur": 0.1, "batches": [{"train_loss": 1.0, "train_batch_size": 8}]}
            for e in range(1, 21)]
    (tmp_path / "history.json").write_text(_json.dumps(hist))
    (run,) = load_runs(tmp_path / "history.json")
    assert run.source_format == "skorch" and run.meta["x_axis"] == "epoch"
    assert set(run.scalars) >= {"train_loss", "eval_loss", "eval_acc"}
    assert run.series("train_loss").steps.tolist() == list(range(1, 21))


def test_a_keras_history_saved_as_json_is_read_by_epoch(tmp_path):
    """`json.dump(model.fit(...).history, f)`: equal-length lists per key; a number is no curve."""
    import json as _json
    hist = {"loss": [1.0 / e for e in range(1, 13)], "val_loss": [1.1 / e for e in range(1, 13)],
            "accuracy": [0.5 + e / 30 for e in range(1, 13)], "val_accuracy": [0.5 + e / 40 for e in range(1, 13)],
            "lr": 1e-3}
    (tmp_path / "history.json").write_text(_json.dumps(hist))
    (run,) = load_runs(tmp_path / "history.json")
    assert run.source_format == "keras" and run.meta["x_axis"] == "epoch"
    assert set(run.scalars) >= {"train_loss", "eval_loss", "train_acc", "eval_acc"}
    assert run.series("eval_loss").steps.tolist() == list(range(1, 13))
    assert any("lr" in n for n in run.notes)
    # lists of different lengths are not a History
    (tmp_path / "other.json").write_text(_json.dumps({"loss": [1.0, 0.5], "val_loss": [1.0]}))
    with pytest.raises(InputError):
        load_runs(tmp_path / "other.json")


def test_ignite_batchloss_tag_is_the_train_loss():
    from traindx.runs.formats.columns import classify
    assert classify("training/batchloss")[0] == "train_loss"


def test_epoch_numbered_validation_is_put_on_the_iteration_axis(tmp_path):
    """Ignite's documented logging: training at the iteration, validation at the epoch number."""
    log = tmp_path / "log.csv"
    rows = ["step,train_loss,val_loss"] + [f"{s},{2 / s:.4f}," for s in range(10, 410, 10)]
    rows += [f"{e},,{1 / e:.4f}" for e in range(1, 5)]
    log.write_text("\n".join(rows) + "\n")
    [(run, _, _)] = diagnose_path(log)
    assert list(run.series("eval_loss").steps) == [100, 200, 300, 400]
    assert any("logged at the epoch number" in n for n in run.notes)
    # a log whose whole axis is epochs is left as it is
    log.write_text("epoch,train_loss,val_loss\n" + "".join(f"{e},{1 / e},{1.1 / e}\n" for e in range(1, 21)))
    [(run, _, _)] = diagnose_path(log)
    assert list(run.series("eval_loss").steps) == list(range(1, 21))


def test_tensorboard_phases_under_prefixes_are_one_run_each(tmp_path):
    """A pre-training and a fine-tuning logged as `source/...` and `target/...`: no loss at the
    top, so each prefix is a run of its own (named in the report as `path#phase`)."""
    tb = pytest.importorskip("torch.utils.tensorboard")
    writer = tb.SummaryWriter(str(tmp_path / "tb"))
    for step in range(20):
        writer.add_scalar("source/train_loss", 2.0 / (step + 1), step)
        writer.add_scalar("source/val_loss", 2.1 / (step + 1), step)
        writer.add_scalar("target/train_loss", 1.0 / (step + 1), step + 20)
        writer.add_scalar("epoch", step // 5, step)
    writer.close()
    runs = load_runs(tmp_path / "tb")
    assert sorted(r.path.rsplit("#", 1)[1] for r in runs) == ["source", "target"]
    source = next(r for r in runs if r.path.endswith("#source"))
    assert source.has("eval_loss") and source.series("train_loss").values[0] == pytest.approx(2.0)


def test_tensorboard_add_scalars_folders_and_grouped_full_names(tmp_path):
    """`add_scalars("Loss", {"train": .., "val": ..})` writes "Loss" into `Loss_train/` and
    `Loss_val/` beside the writer's own folder; skorch's TensorBoard callback files full names
    under a group ("Loss/train_loss", "Loss/valid_acc"). Both read (fresh6: four such logs were
    refused with "no loss tag recognised"); a sub-folder of another run is not merged."""
    tb = pytest.importorskip("torch.utils.tensorboard")
    writer = tb.SummaryWriter(str(tmp_path / "grouped"))
    for step in range(20):
        writer.add_scalars("Loss", {"train": 2.0 / (step + 1), "val": 2.2 / (step + 1)}, step)
        writer.add_scalar("Accuracy/test", 0.5 + 0.02 * step, step)
    writer.close()
    other = tb.SummaryWriter(str(tmp_path / "grouped" / "run_b"))
    other.add_scalar("loss", 9.0, 0)
    other.close()
    run = load_runs(tmp_path / "grouped")[0]
    assert run.series("train_loss").values[0] == pytest.approx(2.0)
    assert run.series("eval_loss").values[-1] == pytest.approx(2.2 / 20)
    assert len(run.series("train_loss")) == 20  # run_b's lone point is not mixed in
    skorch = tb.SummaryWriter(str(tmp_path / "skorch"))
    for epoch in range(1, 11):
        skorch.add_scalar("Loss/train_loss", 1.0 / epoch, epoch)
        skorch.add_scalar("Loss/valid_loss", 1.1 / epoch, epoch)
        skorch.add_scalar("Loss/valid_acc", 0.5 + 0.04 * epoch, epoch)
        skorch.add_scalar("Loss/valid_bal_acc", 0.5, epoch)
        skorch.add_scalar("dur", 0.1, epoch)
    skorch.close()
    run = load_runs(tmp_path / "skorch")[0]
    assert {"train_loss", "eval_loss", "eval_acc"} <= set(run.scalars)
    assert run.series("eval_acc").values[-1] == pytest.approx(0.9)


def test_ignite_tensorboard_tags_give_lr_and_per_layer_norms(tmp_path):
    """Ignite's handlers: OutputHandler `training/batchloss`, OptimizerParamsHandler `lr/group_0`,
    Grads/WeightsScalarHandler `grads_norm/0/weight`, `weights_norm/0/weight` (a/b layer names);
    gradients that shrink 100x per layer towards the input are vanishing."""
    tb = pytest.importorskip("torch.utils.tensorboard")
    writer = tb.SummaryWriter(str(tmp_path / "ignite"))
    for step in range(5, 305, 5):
        writer.add_scalar("training/batchloss", 1.4 - 0.001 * step, step)
        writer.add_scalar("lr/group_0", 0.01, step)
        writer.add_scalar("lr/group_1", 0.1, step)
        for depth, layer in enumerate(("0", "2", "4", "6", "8")):
            writer.add_scalar(f"grads_norm/{layer}/weight", 10.0 ** (-8 + 2 * depth), step)
            writer.add_scalar(f"weights_norm/{layer}/weight", 3.0, step)
    writer.close()
    [(run, diag, _)] = diagnose_path(tmp_path / "ignite")
    assert run.series("lr").values == pytest.approx([0.01] * 60)  # group 0, not group 1
    assert run.params.layers == ["0.weight", "2.weight", "4.weight", "6.weight", "8.weight"]
    assert {"grad_norm", "weight_norm"} <= set(run.params.stats)
    assert "vanishing_gradients" in problems(diag)


def test_a_run_directory_is_read_through_the_same_spelling_table_and_map(tmp_path):
    """One reading path: a key given to traindx.log in any spelling the log readers know
    (`valid_top1`) reaches the detectors as eval_acc, and `--map` works on a run directory as on
    any log (an entry that names nothing is one line and exit 2)."""
    import torch
    import traindx
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with traindx.watch(out=tmp_path / "run", alerts=False) as w:
        for step in range(60):
            x = torch.randn(16, 4)
            loss = torch.nn.functional.cross_entropy(model(x), (x[:, 0] > 0).long())
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 10 == 9:
                traindx.log(valid_top1=0.5 + step / 200, heldout_objective=1.0 - step / 100)
    signals = json.loads(runner.invoke(app, ["diagnose", str(w.path), "--format", "json"]).output)["run"]["signals"]
    assert "eval_acc" in signals and "heldout_objective" in signals and "eval_loss" not in signals
    mapped = runner.invoke(app, ["diagnose", str(w.path), "--format", "json", "--map", "eval_loss=heldout_objective"])
    assert "eval_loss" in json.loads(mapped.output)["run"]["signals"]
    bad = runner.invoke(app, ["diagnose", str(w.path), "--map", "eval_loss=nope"])
    assert bad.exit_code == 2 and "--map eval_loss=nope: no such key" in bad.output


CORPUS_LOGS = Path(__file__).parent / "fixtures" / "corpus_logs"


def test_a_log_names_its_adaptive_optimiser_and_its_lr_is_judged():
    """Logs of real corpus trainings. Lightning's LearningRateMonitor column `lr-Adam` names the
    optimiser, and under Adam each step moves a weight by about the lr: a peak lr of 0.03 or more
    with a loss that did not fall is too high. A trainer_state.json does not name its optimiser:
    the Trainer's default (AdamW) is taken, said so, and the claim is a warning. A logged lr
    whose sum over the steps is tiny is too low under any optimiser."""
    lit = diagnose_path(CORPUS_LOGS / "fresh2_lightning_ignite/learning_rate_too_high_lightning_adam_tabular")[0]
    assert lit.diagnosis.profile.optimizer_name == "Adam"
    high = {f.problem: f for f in lit.diagnosis.findings}
    assert high["learning_rate_too_high"].evidence["peak_lr"] >= 0.03
    assert lit.diagnosis.findings[0].problem == "learning_rate_too_high"  # the root, first

    hf = diagnose_path(CORPUS_LOGS / "fresh_hf_keras/learning_rate_too_high_hf_distilbert_lr02")[0]
    assert hf.diagnosis.profile.optimizer_name == "AdamW" and hf.diagnosis.profile.optimizer_assumed
    assert "AdamW (the default)" in hf.diagnosis.profile.describe()
    lr = hf.diagnosis.findings[0]  # the root of the stalled loss
    assert lr.problem == "learning_rate_too_high" and lr.severity.name == "WARNING"
    assert "the log does not name the optimiser" in lr.summary and lr.evidence["peak_lr"] >= 0.03

    low = diagnose_path(CORPUS_LOGS / "hf_keras_skorch/learning_rate_too_low_hf_bert_lr1e7")[0]
    found = {f.problem: f for f in low.diagnosis.findings}
    assert found["learning_rate_too_low"].evidence["lr_sum"] < 1e-4  # lr 1e-7 over 125 steps

    # a healthy fine-tune: its lr is neither
    ok = diagnose_path(CORPUS_LOGS / "hf_keras_skorch/healthy_hf_bert_keyword")[0]
    assert not {"learning_rate_too_high", "learning_rate_too_low"} & {f.problem for f in ok.diagnosis.findings}


def test_a_trainers_training_args_name_its_optimiser(tmp_path):
    """A Trainer saves its TrainingArguments (training_args.bin) beside trainer_state.json: its
    `optim` is read from the pickle's opcodes, nothing run. A fresh5 Trainer ran SGD at 0.05 (a
    deep sigmoid MLP whose gradients vanish): with its arguments saved, no AdamW-sized lr claim."""
    transformers = pytest.importorskip("transformers")
    import torch
    src = CORPUS_LOGS / "fresh5_lightning_hf/vanishing_gradients_hf_deep_sigmoid_mlp/trainer_state.json"
    (tmp_path / "trainer_state.json").write_bytes(src.read_bytes())
    assumed = diagnose_path(tmp_path)[0]
    assert "learning_rate_too_high" in {f.problem for f in assumed.diagnosis.findings}  # AdamW taken
    args = transformers.TrainingArguments(output_dir=str(tmp_path / "o"), optim="sgd", report_to=[])
    torch.save(args, tmp_path / "training_args.bin")
    named = diagnose_path(tmp_path)[0]
    assert named.run.meta["optimizers"][0] == {"type": "sgd", "source": "training_args.bin's optim"}
    assert named.diagnosis.profile.optimizer == "sgd" and not named.diagnosis.profile.optimizer_assumed
    assert "learning_rate_too_high" not in {f.problem for f in named.diagnosis.findings}
    assert "non_convergence" in {f.problem for f in named.diagnosis.findings}


def test_a_training_args_pickle_is_never_run(tmp_path):
    """A training_args.bin that would run a command when unpickled is read, not run: its opcodes
    are only listed; with no `optim` in it the Trainer's default is said."""
    import pickle
    import zipfile

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'pwned'}",))

    with zipfile.ZipFile(tmp_path / "training_args.bin", "w") as z:
        z.writestr("archive/data.pkl", pickle.dumps(Payload(), protocol=2))
    src = CORPUS_LOGS / "fresh_hf_keras/learning_rate_too_high_hf_distilbert_lr02/trainer_state.json"
    (tmp_path / "trainer_state.json").write_bytes(src.read_bytes())
    [run] = load_runs(tmp_path)
    assert run.meta["optimizers"][0]["type"] == "AdamW" and run.meta["optimizers"][0]["assumed"]
    assert not (tmp_path / "pwned").exists()
    (tmp_path / "training_args.bin").write_bytes(b"PK\x03\x04 not a zip")  # corrupt: the default too
    assert load_runs(tmp_path)[0].meta["optimizers"][0]["assumed"]


def test_a_text_summary_beside_the_scalars_is_skipped(tmp_path):
    """The HF Trainer's TensorBoard callback writes its arguments as a text summary (a one-element
    string tensor) next to the scalars: read past, not an internal error (fresh5 corpus)."""
    tb = pytest.importorskip("torch.utils.tensorboard")
    writer = tb.SummaryWriter(str(tmp_path / "tb"))
    writer.add_text("args", '{"output_dir": "/tmp/x", "learning_rate": 0.001}')
    for step, loss in enumerate([1.0, 0.7, 0.5, 0.4, 0.35, 0.3, 0.28, 0.27, 0.26]):
        writer.add_scalar("train/loss", loss, step * 10)
    writer.close()
    [run] = load_runs(tmp_path / "tb")
    assert list(run.series("train_loss").values)[:2] == pytest.approx([1.0, 0.7])


def _memorise(tmp_path, epochs=8):
    """A real training that memorises 48 random labels: per epoch (train loss, train accuracy as a
    fraction, held-out loss, held-out accuracy in percent), as DeiT's log.txt writes them."""
    import torch
    torch.manual_seed(0)
    x, y = torch.randn(48, 20), torch.randint(0, 4, (48,))
    xv, yv = torch.randn(200, 20), torch.randint(0, 4, (200,))
    model = torch.nn.Sequential(torch.nn.Linear(20, 256), torch.nn.ReLU(), torch.nn.Linear(256, 4))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    rows = []
    for epoch in range(epochs):
        for _ in range(25):
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            out, outv = model(x), model(xv)
            rows.append({"train_lr": 3e-3, "train_loss": loss.item(),
                         "train_acc1": (out.argmax(1) == y).float().mean().item(),
                         "test_loss": torch.nn.functional.cross_entropy(outv, yv).item(),
                         "test_acc1": 100 * (outv.argmax(1) == yv).float().mean().item(),
                         "epoch": epoch, "n_parameters": 6404})
    return rows


def test_json_lines_under_other_names_and_percent_accuracy(tmp_path):
    """fresh7: DeiT/MAE write JSON lines to `log.txt` and detectron2 to `metrics.json`; DeiT's
    held-out accuracy is in percent beside a train accuracy that is a fraction. Both read: the
    memorising run's held-out loss climbs while its accuracy stays near chance — overfitting."""
    rows = _memorise(tmp_path)
    assert rows[-1]["test_loss"] > 1.5 * min(r["test_loss"] for r in rows)  # the premise: it does overfit
    for name in ("log.txt", "metrics.json"):
        path = tmp_path / name
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        (run,) = load_runs(path)
        assert run.source_format == "jsonl"
        assert 0.0 <= run.scalars["test_acc"].values.max() <= 1.0  # percent read as a fraction
        assert any("in percent" in n for n in run.notes)
        [(_, diag, _)] = diagnose_path(path)
        assert "overfitting" in problems(diag)
    history = tmp_path / "history.json"  # one object of lists on one line: Keras History, not JSON lines
    history.write_text(json.dumps({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}) + "\n")
    assert load_runs(history)[0].source_format != "jsonl"
    notes = tmp_path / "notes.txt"  # prose is still not a log
    notes.write_text("epoch 1 went fine\nepoch 2 too\n")
    with pytest.raises(InputError):
        load_runs(notes)


def test_fairseq_json_log_with_header_lines_string_numbers_and_prefixes(tmp_path):
    """fresh11: fairseq's `--log-format json` writes `| ` header lines, then objects whose numbers
    are strings, per-update lines (`loss`, `num_updates`, `gnorm`) and per-epoch summaries
    (`train_loss`, `valid_loss`, `valid_num_updates`); newer fairseq puts a logging prefix before each
    object. Read on the update axis: the per-update loss, not the epoch summary, is the train loss."""
    lines, loss = ["| dictionary: 44 types", "| model lstm_lm, criterion CrossEntropyCriterion"], 5.5
    for epoch in range(1, 6):
        for k in range(1, 4):
            loss *= 0.9
            lines.append(json.dumps({"epoch": epoch, "update": f"{epoch - 1 + k / 3:.3f}", "loss": f"{loss:.3f}",
                                     "ppl": f"{2 ** loss:.2f}", "num_updates": str(20 * (3 * (epoch - 1) + k)),
                                     "lr": "0.0005", "gnorm": "0.8"}))
        lines.append(json.dumps({"epoch": epoch, "train_loss": f"{loss:.3f}", "train_num_updates": str(60 * epoch)}))
        lines.append(json.dumps({"epoch": epoch, "valid_loss": f"{loss * 1.1:.3f}", "valid_num_updates": str(60 * epoch)}))
    for name, prefix in (("train.json.log", ""), ("prefixed.log", "2021-03-01 10:00:00 | INFO | train_inner | ")):
        path = tmp_path / name
        path.write_text("\n".join(line if line.startswith("|") else prefix + line for line in lines) + "\n")
        (run,) = load_runs(path)
        assert run.source_format == "jsonl"
        assert len(run.scalars["train_loss"].values) == 15  # per update, not the 5 epoch summaries
        assert list(run.scalars["eval_loss"].steps) == [60, 120, 180, 240, 300]
        assert run.scalars["grad_norm"].values[0] == pytest.approx(0.8)
        assert any("2 line(s) of text" in n for n in run.notes)
    from traindx.runs.formats.columns import assign
    # the points decide only when they are known and one series has twice the other's
    assert assign(["loss", "train_loss"])["train_loss"] == "train_loss"
    assert assign(["loss", "train_loss"], counts={"loss": 15, "train_loss": 5})["train_loss"] == "loss"
    assert assign(["loss", "train_loss"], counts={"loss": 8, "train_loss": 5})["train_loss"] == "train_loss"


def test_own_column_names_name_their_split_and_loss(tmp_path):
    """fresh7: scripts log their own names — `tok_loss`/`dev_tok_loss`, `ctc_train`/`ctc_dev`,
    `TrainCosLoss`/`HeldoutCosLoss`, `pinball_fit`/`pinball_holdout`. A loss named by an unknown
    word is the loss when it is the only one of its split; the parts of an unlogged total
    (`loss_cls`, `loss_box_reg`) are not taken for it."""
    from traindx.runs.formats.columns import assign
    cases = {("ep", "tok_loss", "dev_tok_loss", "dev_tok_acc"): ("tok_loss", "dev_tok_loss"),
             ("ctc_train", "ctc_dev", "ler_dev"): ("ctc_train", "ctc_dev"),
             ("TrainCosLoss", "TrainVerifAcc", "HeldoutCosLoss", "HeldoutVerifAcc"): ("TrainCosLoss", "HeldoutCosLoss"),
             ("learning_rate", "pinball_fit", "pinball_holdout"): ("pinball_fit", "pinball_holdout")}
    for names, (train, held_out) in cases.items():
        got = assign(names)
        assert (got.get("train_loss"), got.get("eval_loss")) == (train, held_out), names
    assert "train_loss" not in assign(["iteration", "loss_cls", "loss_box_reg"])
    # one metric logged per step and per epoch (Lightning) is not two parts
    assert assign(["train_focal_loss_step", "train_focal_loss_epoch"])["train_loss"] == "train_focal_loss_step"
    assert assign(["iteration", "loss_cls", "loss_box_reg", "total_loss"])["train_loss"] == "total_loss"
    assert "eval_acc" not in assign(["val_loss", "val_acc_top5"])
    rows = _memorise(tmp_path)
    path = tmp_path / "pairs_training.csv"
    path.write_text("TrainCosLoss,TrainVerifAcc,HeldoutCosLoss,HeldoutVerifAcc\n" + "".join(
        f"{r['train_loss']},{r['train_acc1']},{r['test_loss']},{r['test_acc1'] / 100}\n" for r in rows))
    [(_, diag, _)] = diagnose_path(path)
    assert "overfitting" in problems(diag)


def test_sacred_file_storage_metrics_are_read_from_the_run_folder(tmp_path):
    """Sacred's FileStorageObserver writes `<run_id>/metrics.json`, one {steps, values, timestamps}
    object per `log_scalar` name (fresh7: refused before). Pointed at the observer's folder, the
    run is found and the memorising training reads as overfitting."""
    rows = _memorise(tmp_path)
    run_dir = tmp_path / "my_runs" / "1"
    run_dir.mkdir(parents=True)
    steps = list(range(len(rows)))
    metrics = {name: {"steps": steps, "values": [r[key] for r in rows], "timestamps": ["2026-12-01T00:00:00"] * len(rows)}
               for name, key in (("training.loss", "train_loss"), ("validation.loss", "test_loss"))}
    (run_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    (run_dir / "run.json").write_text(json.dumps({"status": "COMPLETED"}))
    [(run, diag, _)] = diagnose_path(tmp_path / "my_runs")
    assert run.source_format == "sacred"
    assert list(run.scalars["eval_loss"].values) == pytest.approx([r["test_loss"] for r in rows])
    assert "overfitting" in problems(diag)


def test_printed_text_logs_are_read_in_the_usual_styles(tmp_path):
    """fresh7: Ignite's example handlers log `Epoch[1] Iteration[20/47] Loss: ...` and `Validation
    Results - Epoch: 1  Avg accuracy: ... Avg loss: ...` through `logging` (refused before). The
    same memorising training printed in three styles — Ignite's, the PyTorch tutorials' `Epoch
    [e/E], Step [s/S]` (a step count that restarts each epoch), and `key=value` logging lines — is
    read with the splits, the percent and the step axis right, and reads as overfitting."""
    rows = _memorise(tmp_path)
    styles = {
        "ignite.log": lambda e, r: (
            f"2026-12-01 03:25:02,468 train INFO: Epoch[{e + 1}] Iteration[{25 * e + 20}/25] Loss: {r['train_loss']:.4f} lr: 0.0030\n"
            f"2026-12-01 03:25:02,495 train INFO: Training Results - Epoch: {e + 1}  Avg accuracy: {r['train_acc1']:.4f} Avg loss: {r['train_loss']:.4f}\n"
            f"2026-12-01 03:25:02,498 train INFO: Validation Results - Epoch: {e + 1}  Avg accuracy: {r['test_acc1'] / 100:.4f} Avg loss: {r['test_loss']:.4f}\n"),
        "stdout.txt": lambda e, r: (
            f"Epoch [{e + 1}/8], Step [20/25], Loss: {r['train_loss']:.4f}\n"
            f"Validation | loss {r['test_loss']:.4f} | acc {r['test_acc1']:.1f}%\n"),
        "train.out": lambda e, r: (
            f"[2026-12-01 03:25:02] INFO epoch={e + 1} train_loss={r['train_loss']:.4f} "
            f"val_loss={r['test_loss']:.4f} val_acc={r['test_acc1'] / 100:.4f} lr=0.003\n"),
    }
    for name, style in styles.items():
        path = tmp_path / name
        path.write_text("Starting the run\n" + "".join(style(e, r) for e, r in enumerate(rows)))
        (run,) = load_runs(path)
        assert run.source_format == "text", name
        assert list(run.scalars["eval_loss"].values) == pytest.approx([r["test_loss"] for r in rows], abs=1e-4)
        assert run.scalars["eval_acc"].values.max() <= 1.0
        assert run.scalars["train_loss"].values[-1] == pytest.approx(rows[-1]["train_loss"], abs=1e-4)
        [(_, diag, _)] = diagnose_path(path)
        assert "overfitting" in problems(diag), name
    # the tutorial's step restarts each epoch: the axis is made global
    (run,) = load_runs(tmp_path / "stdout.txt")
    assert list(run.scalars["train_loss"].steps) == [25 * e + 20 for e in range(len(rows))]
    # Ignite's training loss per iteration beats its per-epoch average of the train split
    (run,) = load_runs(tmp_path / "ignite.log")
    assert len(run.scalars["train_loss"]) == len(rows) and run.scalars["train_loss"].steps[0] == 20


def test_long_exports_yaml_lists_and_losses_on_other_scales(tmp_path):
    """fresh8: trackers' long exports (Neptune's `step,metric,value`, Comet's `metricName,
    metricValue,...`), a YAML list of per-epoch mappings, an MLflow run folder without its
    meta.yaml, and losses logged as RMSE / perplexity / bits per character were refused or
    misread. The memorising training, written each way, is read back onto its loss scale and
    reads as overfitting."""
    import math
    rows = _memorise(tmp_path)
    neptune = tmp_path / "neptune_export.csv"
    neptune.write_text("step,metric,value,timestamp\n" + "".join(
        f"{e},train/loss,{r['train_loss']},0\n{e},valid/loss,{r['test_loss']},0\n" for e, r in enumerate(rows)))
    comet = tmp_path / "comet.csv"
    comet.write_text("metricName,metricValue,timestamp,step,epoch\n" + "".join(
        f"trainLoss,{r['train_loss']},0,{25 * e},{e}\nvalLoss,{r['test_loss']},0,{25 * e},{e}\n"
        for e, r in enumerate(rows)))
    yaml_log = tmp_path / "metrics.yaml"
    yaml_log.write_text("".join(f"- epoch: {e}\n  train_loss: {r['train_loss']}\n  val_loss: {r['test_loss']}\n"
                                for e, r in enumerate(rows)))
    ppl = tmp_path / "ppl.csv"  # perplexity = exp(loss): read back as its log
    ppl.write_text("epoch,train_perplexity,val_perplexity\n" + "".join(
        f"{e},{math.exp(r['train_loss'])},{math.exp(r['test_loss'])}\n" for e, r in enumerate(rows)))
    run_dir = tmp_path / "mlruns" / "0" / "abc"
    (run_dir / "metrics").mkdir(parents=True)
    for name, key in (("train_loss", "train_loss"), ("val_loss", "test_loss")):
        (run_dir / "metrics" / name).write_text("".join(f"1700000000000 {r[key]} {e}\n" for e, r in enumerate(rows)))
    for path in (neptune, comet, yaml_log, ppl, run_dir):
        (run,) = load_runs(path)
        assert list(run.scalars["eval_loss"].values) == pytest.approx([r["test_loss"] for r in rows], rel=1e-6), path
        [(_, diag, _)] = diagnose_path(path)
        assert "overfitting" in problems(diag), path
    rmse = tmp_path / "rmse.yaml"  # an RMSE is read squared (the MSE)
    rmse.write_text("- {epoch: 1, train_rmse: 0.5, val_rmse: 0.6}\n- {epoch: 2, train_rmse: 0.4, val_rmse: 0.5}\n")
    (run,) = load_runs(rmse)
    assert list(run.scalars["train_loss"].values) == pytest.approx([0.25, 0.16])
    hparams = tmp_path / "hparams.yaml"  # a config is no log
    hparams.write_text("lr: 0.001\nbatch_size: 32\n")
    with pytest.raises(InputError):
        load_runs(hparams)


def test_fastai_tables_dvclive_series_exports_and_spreadsheet_csvs(tmp_path):
    """fresh9: fastai's printed table, DVCLive's folder, ClearML's and Aim's series exports, a
    `;`-separated CSV with decimal commas and a transposed CSV (metrics as rows) were refused.
    The memorising training, written each way, is read with its held-out loss and reads as
    overfitting."""
    import json
    rows = _memorise(tmp_path)
    fastai = tmp_path / "fastai.log"  # two fit() calls: the second table counts from 0 again
    table = "epoch     train_loss  valid_loss  accuracy  time    \n"
    fastai.write_text(table + "".join(
        f"{e:<10}{r['train_loss']:<12.6f}{r['test_loss']:<12.6f}{r['test_acc1'] / 100:<10.6f}00:0{e % 10}\n"
        for e, r in enumerate(rows[:3])) + "\n" + table + "".join(
        f"{e:<10}{r['train_loss']:<12.6f}{r['test_loss']:<12.6f}{r['test_acc1'] / 100:<10.6f}00:01\n"
        for e, r in enumerate(rows[3:])))
    dvc = tmp_path / "dvclive"
    for name, key in (("train/loss", "train_loss"), ("val/loss", "test_loss")):
        tsv = dvc / "plots" / "metrics" / f"{name}.tsv"
        tsv.parent.mkdir(parents=True, exist_ok=True)
        tsv.write_text(f"timestamp\tstep\t{name.split('/')[1]}\n" + "".join(
            f"17000000{e}\t{e}\t{r[key]}\n" for e, r in enumerate(rows)))
    clearml = tmp_path / "clearml_scalars.json"
    steps = list(range(len(rows)))
    clearml.write_text(json.dumps({"loss": {
        "train": {"x": steps, "y": [r["train_loss"] for r in rows]},
        "validation": {"x": steps, "y": [r["test_loss"] for r in rows]}}}))
    aim = tmp_path / "aim_export.json"
    aim.write_text(json.dumps({"run": {"hparams": {"lr": 3e-3}}, "metrics": [
        {"name": "loss", "context": {"subset": subset}, "steps": steps, "values": [r[key] for r in rows]}
        for subset, key in (("train", "train_loss"), ("val", "test_loss"))]}))
    european = tmp_path / "log_eu.csv"
    european.write_text("epoch;train_loss;val_loss\n" + "".join(
        f"{e};{r['train_loss']:.6f};{r['test_loss']:.6f}\n".replace(".", ",") for e, r in enumerate(rows)))
    wide = tmp_path / "report.csv"
    wide.write_text("metric," + ",".join(f"epoch_{e + 1}" for e in steps) + "\n" + "".join(
        f"{name}," + ",".join(str(r[key]) for r in rows) + "\n"
        for name, key in (("train_loss", "train_loss"), ("val_loss", "test_loss"))))
    for path in (fastai, dvc, clearml, aim, european, wide):
        (run,) = load_runs(path)
        assert list(run.scalars["eval_loss"].values) == pytest.approx([r["test_loss"] for r in rows], rel=1e-5), path
        [(_, diag, _)] = diagnose_path(path)
        assert "overfitting" in problems(diag), path
    (run,) = load_runs(fastai)  # fastai's metrics are the validation set's
    assert run.scalars["eval_acc"].values[-1] == pytest.approx(rows[-1]["test_acc1"] / 100, rel=1e-5)
    assert list(run.scalars["train_loss"].steps) == list(range(1, len(rows) + 1))
    (run,) = load_runs(wide)
    assert run.unit == "epochs" and run.scalars["train_loss"].steps[0] == 1
