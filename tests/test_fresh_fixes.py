"""What the fresh corpus set (tests/corpus/fresh_*) showed, each with a real input: a positional
table started at zero is no constant weight matrix, a skorch history whose per-batch records fill
its head is still skorch's, and a run whose weights barely moved in total is a too-low lr."""
from __future__ import annotations

import json
import textwrap

from conftest import traindx

from traindx.api import diagnose_path

POS_TABLE = textwrap.dedent('''
    import torch
    from torch import nn
    torch.manual_seed(0)
    V, T, D = 12, 8, 32
    class Tiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(V, D)
            self.pos = nn.Parameter(torch.zeros(1, T, D))  # as GPTs do: learned from zero
            self.mlp = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, V))
        def forward(self, x):
            return self.mlp(self.emb(x) + self.pos)
    model = Tiny()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    data = torch.randint(0, V, (256, T + 1))
    for step in range(150):
        b = data[torch.randint(0, 256, (32,))]
        loss = nn.functional.cross_entropy(model(b[:, :-1]).reshape(-1, V), b[:, 1:].reshape(-1))
        opt.zero_grad(); loss.backward(); opt.step()
''')

TINY_LR_BY_HAND = textwrap.dedent('''
    import torch
    torch.manual_seed(0)
    x = torch.randn(512, 16); y = (x[:, 0] > 0).float()
    w1 = (torch.randn(16, 32) / 4).requires_grad_(); w2 = (torch.randn(32, 1) / 6).requires_grad_()
    for step in range(400):
        i = torch.randint(0, 512, (32,))
        out = (torch.relu(x[i] @ w1) @ w2).squeeze(1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(out, y[i])
        loss.backward()
        with torch.no_grad():
            for p in (w1, w2):
                p -= 1e-5 * p.grad
                p.grad = None
''')


def _report(tmp_path, source):
    (tmp_path / "train.py").write_text(source, encoding="utf-8")
    proc = traindx("run", "--out", str(tmp_path / "run"), "--format", "json", str(tmp_path / "train.py"))
    assert proc.returncode == 0, proc.stderr
    return json.loads((tmp_path / "run" / "report.json").read_text())


def test_a_positional_table_started_at_zero_is_not_poor_initialisation(tmp_path):
    doc = _report(tmp_path, POS_TABLE)
    assert "poor_initialization" not in {f["problem"] for f in doc["findings"]}, doc["findings"]


def test_weights_that_barely_move_in_total_are_a_too_low_lr(tmp_path):
    doc = _report(tmp_path, TINY_LR_BY_HAND)
    lr = [f for f in doc["findings"] if f["problem"] == "learning_rate_too_low"]
    assert lr and lr[0]["evidence"]["total_move_estimate"] <= 0.05, doc["findings"]
    assert "over the whole run" in lr[0]["summary"]


def test_a_skorch_history_led_by_per_batch_records_is_read(tmp_path):
    epochs = [{"batches": [{"train_loss": 1.0 / (e + 1) + 0.01 * b, "train_batch_size": 64}
                           for b in range(120)],
               "epoch": e + 1, "train_loss": 1.0 / (e + 1), "valid_loss": 1.1 / (e + 1),
               "valid_acc": 0.5 + 0.04 * e, "dur": 0.1} for e in range(12)]
    path = tmp_path / "history.json"
    path.write_text(json.dumps(epochs), encoding="utf-8")
    assert path.read_bytes()[:4096].count(b'"epoch"') == 0  # the head holds only batches
    ((run, diagnosis, _),) = diagnose_path(path)
    assert run.source_format == "skorch" and len(run.series("train_loss")) == 12
    assert run.meta.get("x_axis") == "epoch"


MEMORISE_NOISE = textwrap.dedent('''
    import torch
    from torch import nn
    torch.manual_seed(0)
    x, y = torch.randn(40, 20), torch.randint(0, 4, (40,))      # labels are noise
    vx, vy = torch.randn(400, 20), torch.randint(0, 4, (400,))
    model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 4))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    for step in range(400):
        if step % 40 == 0:
            model.eval()
            with torch.no_grad():
                loss_fn(model(vx), vy)
            model.train()
        loss = loss_fn(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
''')

SILENT_BN = textwrap.dedent('''
    import torch
    from torch import nn
    torch.manual_seed(0)
    x = torch.randn(2048, 16); y = (x[:, :4].sum(1) > 0).long()
    bn = nn.BatchNorm1d(64)
    nn.init.constant_(bn.bias, -2.0)   # every unit two std below zero: fires for ~2% of inputs
    model = nn.Sequential(nn.Linear(16, 64), bn, nn.ReLU(), nn.Linear(64, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for step in range(300):
        i = torch.randint(0, 2048, (64,))
        loss = nn.functional.cross_entropy(model(x[i]), y[i])
        opt.zero_grad(); loss.backward(); opt.step()
''')


def test_an_eval_loss_worse_than_untrained_while_train_fits_is_overfitting(tmp_path):
    doc = _report(tmp_path, MEMORISE_NOISE)
    over = [f for f in doc["findings"] if f["problem"] == "overfitting"]
    assert over and over[0]["evidence"]["criterion"] in ("worse_than_untrained", "eval_loss_rise"), \
        doc["findings"]
    assert over[0]["severity"] == "error"


def test_a_relu_layer_that_passes_almost_nothing_is_nearly_dead(tmp_path):
    doc = _report(tmp_path, SILENT_BN)
    dead = [f for f in doc["findings"] if f["problem"] == "dead_units"]
    assert dead, doc["findings"]
    assert dead[0]["evidence"]["worst_zero_fraction"] >= 0.95
    assert "passes only" in dead[0]["summary"]


def test_a_log_with_layer_gradients_but_no_update_ratios_still_shows_a_diverging_lr():
    """A TensorBoard/Ignite log gives per-layer gradient norms, not updates: its loss that blows
    up still names the learning rate (only recorded updates that are all NaN silence it)."""
    import numpy as np

    from traindx.diagnose import diagnose
    from traindx.runs.model import LayerTable, Run, Series
    steps = np.arange(1, 41)
    run = Run(path="tb", source_format="tensorboard")
    run.scalars["train_loss"] = Series(steps, np.r_[np.full(10, 2.3), np.geomspace(2.3, 1e6, 30)])
    run.params = LayerTable(steps[::4], ["fc1.weight", "fc2.weight"],
                            {"grad_norm": np.full((10, 2), 0.5)})
    found = {f.problem for f in diagnose(run).findings}
    assert "learning_rate_too_high" in found
