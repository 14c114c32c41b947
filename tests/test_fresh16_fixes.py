"""Fixes of the fresh16 round (and the older misses it took up), each on a real log or a real small
training that showed the error, judged against its author's label."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import ROOT, json_tail, traindx

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
    # a long export: each metric's block counts its epochs and global steps from the start again
    long = [f"loss,{e},{s},{2.0 - s / 100:.2f}" for e, s in ((1, 10), (1, 20), (2, 30), (2, 40), (3, 50), (3, 60))]
    long += [f"val_loss,{e},{s},{2.1 - s / 100:.2f}" for e, s in ((1, 20), (2, 40), (3, 60))]
    run = load_runs(_write(tmp_path / "long.csv", "metric,epoch,step,value", long))[0]
    assert list(run.series("eval_loss").steps) == [20, 40, 60]


F16 = LOGS / "fresh16_console_logs"


def test_the_trainers_printed_dicts_are_its_log_history():
    """What HF's Trainer prints (`{'loss': '1.382', 'grad_norm': ..., 'epoch': '0.3947'}`, numbers
    as strings in transformers 5): read as its log_history, placed by the fractional epoch. Labels
    reshuffled every epoch: the loss stays at ln 4 over 5.9 epochs; the healthy twin is clean."""
    stuck = diagnose_path(F16 / "non_convergence_hf_trainer_dicts_labels_reshuffled_each_epoch" / "trainer_stdout.log")[0]
    assert stuck.run.source_format == "huggingface" and len(stuck.run.series("eval_acc")) == 6
    assert "non_convergence" in _flagged(stuck), stuck.diagnosis.findings
    summary = next(f.summary for f in stuck.diagnosis.findings if f.problem == "non_convergence")
    assert "5.92 epochs (15 logged points)" in summary
    healthy = diagnose_path(F16 / "healthy_hf_trainer_dicts_tiny_encoder_topics" / "trainer_stdout.log")[0]
    assert healthy.diagnosis.verdict == "healthy", healthy.diagnosis.findings


def test_a_pipe_table_and_the_test_line_after_it():
    """A Markdown-style table (`| epoch | loss | acc | val_loss | val_acc |`, its `|---|` rule) and a
    `TEST (...): test_loss=4.4848 test_acc=0.1725` line after it: the test split drawn from another
    scanner is 80 points worse than validation."""
    log = F16 / "data_mismatch_pipe_table_test_from_other_scanner_digits" / "console_table.txt"
    report = diagnose_path(log)[0]
    assert len(report.run.series("eval_acc")) == 8 and report.run.series("test_acc") is not None
    assert "data_mismatch" in _flagged(report), report.diagnosis.findings


def test_a_gans_two_losses_are_not_one_objective(tmp_path: Path):
    """`d_loss` and `g_loss` of a GAN are two players' objectives: their sum hovers by design, so no
    stall is claimed from it (the recorded run knows its two optimisers the same way)."""
    rng = np.random.default_rng(0)
    rows = [f"{e},{e * 50},{1.2 + 0.05 * rng.standard_normal():.4f},{1.0 + 0.05 * rng.standard_normal():.4f}"
            for e in range(1, 31)]
    report = diagnose_path(_write(tmp_path / "gan.csv", "epoch,step,d_loss,g_loss", rows))[0]
    assert report.run.meta.get("separate_objectives")
    assert "non_convergence" not in _flagged(report)
    one = diagnose_path(_write(tmp_path / "one.csv", "epoch,step,recon_loss,kl_loss", rows))[0]
    assert "non_convergence" in _flagged(one), one.diagnosis.findings  # two parts of one objective stall


def test_a_curriculums_rising_train_loss_is_not_divergence_while_the_eval_loss_keeps_falling(tmp_path: Path):
    """A curriculum adds harder examples in stages: the train loss ends 2.5x its start (0.029 ->
    0.073) while the validation loss falls to its best all along. The same train curve with a
    validation loss that climbs back up is a model made worse by its steps."""
    log = LOGS / "fresh16_multirun_schedules" / "healthy_curriculum_loss_rises" / "curriculum.csv"
    report = diagnose_path(log)[0]
    assert "learning_rate_too_high" not in _flagged(report), report.diagnosis.findings
    lines = log.read_text().splitlines()
    header, rows = lines[0], [r.split(",") for r in lines[1:]]
    cols = header.split(",")
    worse = []
    for i, r in enumerate(rows):  # the validation loss now rises with the train loss's second half
        r = list(r)
        r[cols.index("val_loss")] = f"{float(r[cols.index('val_loss')]) * (1 + max(0, i - 6) * 0.3):.5f}"
        worse.append(",".join(r))
    flagged = _flagged(diagnose_path(_write(tmp_path / "worse.csv", header, worse))[0])
    assert "learning_rate_too_high" in flagged or "overfitting" in flagged


def _adam_run(rel_grad: float, update_ratio: float, loss_drop: float):
    """A recorded run under Adam: three hidden layers whose |g|/|w| is `rel_grad` from the start,
    steps of `update_ratio` of the weights' norm, a loss falling `loss_drop` over 200 steps."""
    from synthetic import param_table, run_with
    steps = 40
    g = np.full((steps, 4), rel_grad)
    run = run_with(train_loss=list(np.linspace(100.0, 100.0 * (1 - loss_drop), 200)))
    run.params = param_table(g, names=[f"l{i}.weight" for i in range(4)])
    run.params.steps = np.arange(1, steps * 5, 5)
    run.params.stats["update_ratio"] = np.full((steps, 4), update_ratio)
    run.meta["optimizers"] = [{"type": "Adam", "lr": 1e-5}]
    return run


def test_adam_excuses_large_gradients_whose_steps_stay_calm():
    """A VAE's loss summed over pixels gives |g|/|w| ~25 from the start; under Adam the steps are
    the lr's size (4e-5 of the weights here, a too-low lr: the loss fell 10%). Large gradients that
    make no large steps are not an explosion; the same gradients with steps of 0.3 are."""
    from traindx.diagnose.detectors.gradients import exploding_gradients
    from traindx.diagnose.thresholds import resolve
    p = resolve("exploding_gradients")
    calm = _adam_run(25.0, 4e-5, 0.10)
    assert not [f for f in exploding_gradients(calm, p) if "from the first steps" in f.summary]
    thrown = _adam_run(25.0, 0.3, 0.10)
    assert [f for f in exploding_gradients(thrown, p) if "from the first steps" in f.summary]


def test_input_layers_with_ample_gradients_are_not_vanishing():
    """A hook that multiplies each layer's gradient by 10 blew the whole net up: |g|/|w| 9e11 at the
    output and 5e8 at the input is 3 orders of "shrinking", but a layer whose gradient is 5e8 times
    its weights is not starved. The same profile at 1e-1 .. 1e-4 is vanishing."""
    from synthetic import param_table, run_with
    from traindx.diagnose.detectors.gradients import vanishing_gradients
    from traindx.diagnose.thresholds import resolve
    p = resolve("vanishing_gradients")
    for scale, vanishing in ((1e12, False), (1.0, True)):
        run = run_with(train_loss=list(np.linspace(2.0, 1.0, 50)))
        profile = np.array([1e-4, 1e-3, 1e-2, 1e-1]) * scale
        run.params = param_table(np.tile(profile, (20, 1)), names=[f"l{i}.weight" for i in range(4)])
        assert bool(vanishing_gradients(run, p)) is vanishing


VMAP_THEN_TRAIN = """
import torch, torch.nn.functional as F
from torch.func import functional_call, grad, vmap
torch.manual_seed(0)
x = torch.randn(256, 8); y = (x[:, 0] > 0).long()
model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
params = {k: v.detach() for k, v in model.named_parameters()}
def per_sample(p, xi, yi):  # a DP-SGD style per-sample loss inside vmap
    return F.cross_entropy(functional_call(model, p, (xi[None],)), yi[None])
g = vmap(grad(per_sample), in_dims=(None, 0, 0))(params, x[:32], y[:32])
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(8):
    for i in range(0, 256, 32):
        loss = F.cross_entropy(model(x[i:i + 32]), y[i:i + 32])
        opt.zero_grad(); loss.backward(); opt.step()
"""


def test_a_loss_inside_vmap_leaves_the_loss_capture_on(tmp_path: Path):
    """A per-sample loss under torch.func's vmap (DP-SGD's per-sample gradients): counting its
    labels in place is refused inside vmap, which disabled the loss capture for the whole run
    ("loss capture disabled after an error"). Such a loss is no batch of the training's: left out,
    and the training's own losses and labels are read."""
    script = tmp_path / "vmap_then_train.py"
    script.write_text(VMAP_THEN_TRAIN)
    proc = traindx("run", "--out", str(tmp_path / "run"), "--format", "json", str(script), timeout=300)
    assert proc.returncode == 0, proc.stderr
    doc = json_tail(proc.stdout)
    assert not any("disabled" in n for n in doc["run"]["notes"]), doc["run"]["notes"]
    assert "train_loss" in doc["run"]["signals"] and doc["run"]["steps"] == 64


PARAMETRIZED = """
import torch, torch.nn as nn, torch.nn.utils.parametrize as P
torch.manual_seed(0)
class MaxNorm(nn.Module):
    def forward(self, w):
        return w * (3.0 / w.norm(dim=1, keepdim=True).clamp(min=1e-8)).clamp(max=1.0)
model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 2))
P.register_parametrization(model[0], "weight", MaxNorm())
x = torch.randn(64, 8); y = (x[:, 0] > 0).long()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for i in range(40):
    loss = nn.functional.cross_entropy(model(x), y); opt.zero_grad(); loss.backward(); opt.step()
"""


def test_a_parametrized_layer_keeps_its_name_and_kind(tmp_path: Path):
    """register_parametrization reads the weight once, outside any forward: its list became a
    model of its own, the weight was named `original` and the model `model2`; the layer itself
    (now `ParametrizedLinear`, with a child) was no leaf, so its kind was unknown. The weight is
    `0.weight` of a Linear, and the parametrization's output (a weight) is no activation."""
    script = tmp_path / "parametrized.py"
    script.write_text(PARAMETRIZED)
    out = tmp_path / "run"
    proc = traindx("run", "--out", str(out), str(script), timeout=300)
    assert proc.returncode == 0, proc.stderr
    run = load_runs(out)[0]
    assert run.params.layers == ["0.bias", "0.weight", "2.weight", "2.bias"] or \
        sorted(run.params.layers) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    assert [m["type"] for m in run.meta["model"]] == ["Linear", "Tanh", "Linear"]
    assert [n for n in run.activations.layers if n != "input"] == ["0", "1", "2"]


def test_outputs_pinned_by_huge_inputs_explain_a_gradient_that_is_zero_everywhere():
    """Raw credit features at std 2e4 under Keras: every logit is thousands, the BCE clips its
    probabilities at 1e-7, and every gradient is exactly zero. "No gradient anywhere" (a round() or a
    detach, otherwise) is then the inputs' doing; a count feature at std 14 does not pin anything."""
    from traindx.diagnose.finding import Finding, Severity
    from traindx.diagnose.story import order
    for std, root in ((2.25e4, "unnormalized_inputs"), (13.8, "non_convergence")):
        stuck = Finding("non_convergence", Severity.ERROR, summary="no parameter gets any gradient",
                        evidence={"criterion": "no_gradient"})
        raw = Finding("unnormalized_inputs", Severity.WARNING, summary="inputs are not normalised",
                      evidence={"input_std": std})
        assert order([stuck, raw])[0].problem == root


def test_a_printed_optimizer_name_counts_for_the_lr_checks():
    """`hparams: optimizer=Adam lr=0.05` printed at the start of a `logging` log: Adam moves every
    weight by about the lr, so 0.05 with a train loss that did not fall is too high. Its healthy
    twin printed `optimizer=SGD(momentum=0.9)` at 1e-2: SGD's steps are not the lr's size."""
    typo = diagnose_path(F16 / "learning_rate_too_high_logging_timestamps_adam_typo_digits" / "train.log")[0]
    assert typo.run.meta["hparams"] == {"optimizer": "Adam"}
    assert "learning_rate_too_high" in _flagged(typo), typo.diagnosis.findings
    sgd = diagnose_path(F16 / "healthy_logging_timestamps_breast_cancer_batch4_noisy" / "train.log")[0]
    assert sgd.run.meta["hparams"] == {"optimizer": "SGD"} and sgd.diagnosis.verdict == "healthy"


def test_a_train_cross_entropy_bounds_the_train_error():
    """The PyTorch MNIST example's text (`Test set: Average loss: 1.5110, Accuracy: 399/600 (66%)`)
    prints no train accuracy; a train loss of 0.003 puts the train error at 0.4% at most (a
    misclassified example costs at least ln 2): 33 points below the test error, overfitting on a
    debug subset of 150 rows. The same example on the full data (test 98%) is clean."""
    subset = diagnose_path(F16 / "overfitting_mnist_example_style_debug_subset_no_dropout" / "mnist_console.log")[0]
    found = next(f for f in subset.diagnosis.findings if f.problem == "overfitting")
    assert found.evidence["criterion"] == "error_gap" and found.evidence["train_error_bound"] < 0.01
    full = diagnose_path(F16 / "healthy_mnist_example_style_digits_cnn_adadelta_steplr" / "mnist_console.log")[0]
    assert full.diagnosis.verdict == "healthy", full.diagnosis.findings


def test_fastais_error_rate_is_read_as_an_accuracy(tmp_path: Path):
    """fastai's default metric is `error_rate` (after `valid_loss`: the validation set's). Read as
    1 - accuracy, the checks that need an accuracy see it: a train loss of 0.002 (train error under
    0.3%) beside a validation error stalled at 35% is a 35-point gap; the same table with the error
    falling to 3% is clean."""
    def table(errors):
        rows = ["epoch     train_loss  valid_loss  error_rate  time"]
        for e, err in enumerate(errors):
            train = 1.2 * 0.45 ** e + 0.002
            rows.append(f"{e:<10}{train:<12.6f}{1.1 - 0.06 * min(e, 4) + 0.001 * (e % 2):<12.6f}"
                        f"{err:<12.6f}00:01")
        return rows
    rows = table([0.5, 0.4, 0.36] + [0.35] * 9)
    stalled = _write(tmp_path / "stalled.txt", rows[0], rows[1:])
    report = diagnose_path(stalled)[0]
    assert abs(report.run.series("eval_acc").values[-1] - 0.65) < 1e-9
    assert any("read as 1 - accuracy" in n for n in report.run.notes)
    assert "overfitting" in _flagged(report), report.diagnosis.findings
    rows = table([0.3, 0.1, 0.05] + [0.03] * 9)
    learned = _write(tmp_path / "learned.txt", rows[0], rows[1:])
    assert "overfitting" not in _flagged(diagnose_path(learned)[0])


def _watched(step, out) -> tuple:
    """Run `step()` (one epoch of updates) four times under traindx.watch; (run, diagnosis)."""
    import traindx
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(4):
            step()
    ((run, diagnosis, _),) = diagnose_path(w.path)
    return run, diagnosis


def test_a_gradient_boost_hook_that_blows_the_net_up_is_exploding_not_vanishing(tmp_path: Path):
    """A real training: a hook that multiplies each hidden activation's gradient by 10 (fresh16's
    "gradient boost"). It explodes within three steps; the depth profile measured in the blow-up
    (|g|/|w| far above 1 at the input side, even further at the output) is no vanishing."""
    import torch
    import torch.nn.functional as F
    from torch import nn
    torch.manual_seed(0)
    x = torch.randn(512, 32)
    y = (x @ torch.randn(32, 10)).argmax(1)

    class Boosted(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nn.ModuleList([nn.Linear(32, 32) for _ in range(7)])
            self.out = nn.Linear(32, 10)
            for layer in self.hidden:
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                nn.init.zeros_(layer.bias)

        def forward(self, h):
            for layer in self.hidden:
                h = F.relu(layer(h))
                if h.requires_grad:
                    h.register_hook(lambda g: g * 10.0)
            return self.out(h)

    model = Boosted()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)

    def epoch():
        for i in range(0, 512, 64):
            loss = F.cross_entropy(model(x[i:i + 64]), y[i:i + 64])
            opt.zero_grad(); loss.backward(); opt.step()  # noqa: E702

    _, diagnosis = _watched(epoch, tmp_path / "boost")
    found = {f.problem for f in diagnosis.findings}
    assert "exploding_gradients" in found and "vanishing_gradients" not in found, diagnosis.findings


def test_a_summed_loss_under_adam_at_a_tiny_lr_is_too_low_not_exploding(tmp_path: Path):
    """A real training: an autoencoder whose BCE is summed over 256 pixels and 256 images has
    gradients 5-40x its weights from the first step; under Adam at 1e-5 its steps are 1e-4 of the
    weights and the loss barely moves: the lr is too low, and the large gradients made no large
    steps."""
    import torch
    import torch.nn.functional as F
    from torch import nn
    torch.manual_seed(0)
    x = torch.rand(2048, 256)
    model = nn.Sequential(nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 16), nn.ReLU(),
                          nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 256), nn.Sigmoid())
    opt = torch.optim.Adam(model.parameters(), lr=1e-5)

    def epoch():
        for i in range(0, 2048, 256):
            loss = F.binary_cross_entropy(model(x[i:i + 256]), x[i:i + 256], reduction="sum")
            opt.zero_grad(); loss.backward(); opt.step()  # noqa: E702

    _, diagnosis = _watched(epoch, tmp_path / "summed")
    found = {f.problem for f in diagnosis.findings if f.severity.rank >= 1}
    assert "learning_rate_too_low" in found and "exploding_gradients" not in found, diagnosis.findings
