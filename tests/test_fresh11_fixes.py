"""Classes of error of the fresh11 round, each on a real small training with its control (or on
the log a corpus training wrote): a model trained after another one that was left in eval mode (its
training losses were read as evaluation, its labels as the first model's); a fine-tune that starts
far below the chance level at a deliberately low lr (read as a crawl and a plateau); nn.LazyLinear
layers (no shapes until the first forward: no depth profile); a character model written with raw
tensors (its skewed next-character targets read as class imbalance, its [1, n] batch-norm gain as
a constant weight matrix); a printed val_mse taken for the eval loss of a Gaussian NLL; and logs
refused at first contact (YOLO, makemore, plotted points)."""
from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

import traindx
from traindx.api import diagnose_path
from conftest import full_only


def _diagnose(path):
    ((run, diagnosis, _),) = diagnose_path(path)
    return run, {f.problem: f for f in diagnosis.findings}


def _task(n, classes, seed):
    """Gaussian blobs in 10-d, one per class: learnable, not trivially."""
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(classes, 10, generator=torch.Generator().manual_seed(99)) * 1.5
    y = torch.randint(0, classes, (n,), generator=g)
    return centers[y] + torch.randn(n, 10, generator=g), y


def _evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        return F.cross_entropy(model(x), y).item()


def _fit(model, opt, x, y, steps, x_val, y_val, seed=0):
    g = torch.Generator().manual_seed(seed)
    for step in range(steps):
        model.train()
        i = torch.randint(0, len(x), (32,), generator=g)
        opt.zero_grad()
        F.cross_entropy(model(x[i]), y[i]).backward()
        opt.step()
        if step % 10 == 9:
            _evaluate(model, x_val, y_val)  # leaves the model in eval mode


def test_a_second_models_training_is_not_read_as_evaluation(tmp_path):
    """Pre-training on 20 classes, then a new 4-class model over the same encoder; the first model
    stays in eval mode after its last evaluation. The second training's losses are its training
    (its own label counts, 4 classes; each evaluation pass counted once)."""
    x, y = _task(1024, 20, 0)
    xv, yv = _task(256, 20, 1)
    torch.manual_seed(0)
    encoder = nn.Sequential(nn.Linear(10, 32), nn.ReLU())
    source = nn.Sequential(encoder, nn.Linear(32, 20))
    with traindx.watch(out=tmp_path / "run", alerts=False) as w:
        _fit(source, torch.optim.Adam(source.parameters(), 1e-3), x, y, 100, xv, yv)
        target = nn.Sequential(encoder, nn.Linear(32, 4))
        _fit(target, torch.optim.Adam(target.parameters(), 1e-3), x, y % 4, 100, xv, yv % 4)
    run, _ = _diagnose(w.path)
    assert run.meta["phase"][0] > 100  # the second training is the one diagnosed
    assert len(run.labels["train_counts"]) == 4, run.labels  # not the pre-training's 20 classes
    assert sum(run.labels["eval_counts"]) == len(yv)  # one evaluation pass, not all of them
    train = run.series("train_loss")
    assert train is not None and len(train.finite()) >= 50


def test_a_fine_tune_that_starts_below_the_chance_level_is_not_a_crawl(tmp_path):
    """Pre-train, probe a new head, then fine-tune the whole net at lr 3e-5 (by design: small
    steps, a loss that barely moves because it starts far below ln 4). Control: the same lr from
    scratch, where the loss starts at the chance level and crawls."""
    x, y = _task(1024, 20, 0)
    xt, yt = _task(512, 4, 2)
    xv, yv = _task(256, 4, 3)
    found = {}
    for name in ("fine_tune", "from_scratch"):
        torch.manual_seed(0)
        encoder = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())
        head = nn.Linear(32, 4)
        model = nn.Sequential(encoder, head)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            if name == "fine_tune":
                source = nn.Sequential(encoder, nn.Linear(32, 20))
                _fit(source, torch.optim.Adam(source.parameters(), 3e-3), x, y, 150, x[:256], y[:256])
                _fit(model, torch.optim.Adam(head.parameters(), 1e-2), xt, yt, 100, xv, yv)
            _fit(model, torch.optim.AdamW(model.parameters(), 3e-5), xt, yt, 300, xv, yv, seed=1)
        _, found[name] = _diagnose(w.path)
    for problem in ("learning_rate_too_low", "non_convergence"):
        assert problem not in found["fine_tune"], found["fine_tune"][problem].summary
    assert "learning_rate_too_low" in found["from_scratch"]  # the same lr where learning starts


def _watched(out, train):
    with traindx.watch(out=out, alerts=False) as w:
        train()
    return _diagnose(w.path)[1]


def test_lazy_layers_are_weight_layers_of_the_depth_profile(tmp_path):
    """A d2l-style deep sigmoid MLP of nn.LazyLinear layers, recorded from its first forward (its
    weights' shapes unknown then) has the textbook vanishing profile; the control (ReLU) does not."""
    x, y = _task(1024, 10, 0)
    found = {}
    for name, act in (("sigmoid", nn.Sigmoid), ("control", nn.ReLU)):
        torch.manual_seed(0)
        model = nn.Sequential(*[m for _ in range(8) for m in (nn.LazyLinear(64), act())], nn.LazyLinear(10))

        def train():
            model(x[:2])  # d2l builds the optimiser after a first forward: lazy parameters
            _fit(model, torch.optim.SGD(model.parameters(), lr=0.1), x, y, 300, x[:256], y[:256])
        found[name] = _watched(tmp_path / name, train)
    assert "vanishing_gradients" in found["sigmoid"]
    assert "vanishing_gradients" not in found["control"]


def _names(n=3000, seed=0):
    """makemore-style data: (3 previous characters, next character) from a Markov chain over 20
    characters with very unequal frequencies, the way letters are."""
    g = torch.Generator().manual_seed(seed)
    trans = torch.softmax(torch.randn(20, 20, generator=g) * 2 + torch.linspace(2, -2, 20), dim=1)
    seq = [0]
    for _ in range(n + 2):
        seq.append(int(torch.multinomial(trans[seq[-1]], 1, generator=g)))
    seq = torch.tensor(seq)
    x = torch.stack([seq[:-3], seq[1:-2], seq[2:-1]], dim=1)
    return x, seq[3:]


def test_a_raw_tensor_character_model_is_a_language_model_with_gains_not_constant_weights(tmp_path):
    """makemore's MLP written with raw tensors: an embedding table C[X], a hand batch norm whose
    gain and bias start as ones((1, n)) and zeros((1, n)). Its next-character targets are skewed by
    nature, and its [1, n] gain is no weight matrix. Control: W1 at zero is still constant."""
    x, y = _names()
    found = {}
    for name in ("makemore", "zero_w1"):
        g = torch.Generator().manual_seed(1)
        C = torch.randn(20, 8, generator=g)
        W1 = torch.randn(24, 64, generator=g) * (5 / 3) / 24 ** 0.5 if name == "makemore" else torch.zeros(24, 64)
        bngain, bnbias = torch.ones(1, 64), torch.zeros(1, 64)
        W2, b2 = torch.randn(64, 20, generator=g) * 0.01, torch.zeros(20)
        params = [C, W1, bngain, bnbias, W2, b2]
        for p in params:
            p.requires_grad = True

        def train():
            for step in range(400):
                i = torch.randint(0, len(x), (64,), generator=g)
                hpre = C[x[i]].view(-1, 24) @ W1
                hpre = bngain * (hpre - hpre.mean(0, keepdim=True)) / (hpre.std(0, keepdim=True) + 1e-5) + bnbias
                loss = F.cross_entropy(torch.tanh(hpre) @ W2 + b2, y[i])
                for p in params:
                    p.grad = None
                loss.backward()
                for p in params:
                    p.data += -0.1 * p.grad
        found[name] = _watched(tmp_path / name, train)
    assert "class_imbalance" not in found["makemore"]
    assert "poor_initialization" not in found["makemore"]
    assert "poor_initialization" in found["zero_w1"]


LOGS = Path(__file__).parent / "fixtures" / "corpus_logs"


def test_logs_of_parts_printed_counters_and_plotted_points_are_read():
    """Three logs that were refused at first contact, as the corpus's trainings wrote them:
    YOLO's results.csv (only the loss's parts, `train/box_loss` ...: their sum is the objective),
    makemore's `   1000/   7000: 2.2545` prints, and a plot's `label,x,y` points."""
    ((yolo, _, _),) = diagnose_path(LOGS / "fresh11_log_formats/healthy_yolo_results_shapes_box_dfl/results.csv")
    with open(LOGS / "fresh11_log_formats/healthy_yolo_results_shapes_box_dfl/results.csv") as fh:
        header = [h.strip() for h in fh.readline().split(",")]
        first = [float(c) for c in fh.readline().split(",")]
    parts = sum(first[header.index(h)] for h in ("train/box_loss", "train/cls_loss", "train/dfl_loss"))
    assert math.isclose(yolo.series("train_loss").values[0], parts, rel_tol=1e-6)
    assert yolo.series("eval_loss") is not None
    ((makemore, _, _),) = diagnose_path(
        LOGS / "fresh11_textbook_code/healthy_makemore_mlp_kaiming_batchnorm/makemore_mlp.log")
    loss = makemore.series("train_loss")
    assert loss.steps[0] == 0 and loss.steps[1] == 500 and math.isclose(loss.values[0], 3.0855)
    ((board, _, _),) = diagnose_path(
        LOGS / "fresh11_textbook_code/healthy_d2l_mlp_long_fit_train_loss_to_zero/d2l_board.csv")
    train, val = board.series("train_loss"), board.series("eval_loss")
    assert len(train) > len(val) > 10 and (train.steps[1:] > train.steps[:-1]).all()


HETEROSCEDASTIC = '''
import torch
from torch import nn
torch.manual_seed(0)
x = torch.rand(1200, 1) * 4 - 2
y = torch.sin(2 * x) + (0.05 + 0.3 * x.abs()) * torch.randn_like(x)
net = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 2))
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
objective = {objective}
for epoch in range(25):
    for b in torch.randperm(900).split(50):
        mu, log_var = net(x[b]).unbind(1)
        loss = objective(mu, y[b, 0], log_var.exp())
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        mu, log_var = net(x[900:]).unbind(1)
        val = objective(mu, y[900:, 0], log_var.exp()).item()
        mse = ((mu - y[900:, 0]) ** 2).mean().item()
    print(f"epoch {{epoch}} val_nll {{val:.4f}} val_mse {{mse:.4f}}")
'''


@full_only
def test_a_printed_mse_is_the_eval_loss_only_when_the_objective_is_the_squared_error(tmp_path):
    """A Gaussian NLL regression (its loss below zero) that prints val_mse beside its val_nll: the
    eval loss is the NLL it evaluates, not the printed MSE (read as the loss, a 0.09 after -0.8 made
    "overfitting"). Control: the same script minimising the MSE, whose printed val_mse is its loss."""
    from conftest import traindx as cli
    from traindx.runs import load_runs
    runs = {}
    for name, objective in (("nll", "nn.GaussianNLLLoss()"), ("mse", "lambda mu, y, var: nn.functional.mse_loss(mu, y)")):
        script = tmp_path / f"{name}.py"
        script.write_text(HETEROSCEDASTIC.format(objective=objective))
        proc = cli("run", "--out", str(tmp_path / name), str(script))
        assert proc.returncode == 0, proc.stderr
        runs[name] = load_runs(tmp_path / name)[0].series("eval_loss")
    nll = runs["nll"].values
    assert len(nll) == 25 and nll[-1] < -0.3 and (nll[-5:] < 0).all()  # the NLL (an MSE is never < 0)
    assert len(runs["mse"]) == 25 and (runs["mse"].values > 0).all()  # the printed val_mse
