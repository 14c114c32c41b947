"""Classes of error the fresh10 corpus showed at first contact, each on a real small training with
its control (the same script with only the cause removed): a convex model that reaches its optimum
within a few steps (read as an exploding spike and a too-low lr), a pre-training that went NaN
before a probe was trained on its output (the probe alone was diagnosed), class-sorted batches
read as variance, tanh units driven to their bounds by a good fit, a class skew whose check set is
balanced, a skew reported beside a too-low lr, two evaluations of which the first is of the
untrained model, and a course-style CSV log (`iteration,cost,train_acc,dev_acc`)."""
from __future__ import annotations

import math

import torch
from torch import nn

import traindx
from traindx.api import diagnose_path


def _diagnose(path):
    ((run, diagnosis, _),) = diagnose_path(path)
    return run, {f.problem: f for f in diagnosis.findings}


def _overlapping(n=800, seed=0):
    """Two Gaussian classes that overlap: the best linear model keeps a loss well above zero."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (n,), generator=g)
    return torch.randn(n, 2, generator=g) + (y.float() * 2 - 1)[:, None] * 0.5, y


def test_a_convex_model_at_its_optimum_is_neither_exploding_nor_a_too_low_lr(tmp_path):
    x, y = _overlapping()
    found = {}
    for name, lr in (("optimum", 2.0), ("too_low", 1e-5)):  # full-batch GD, the course's loop
        torch.manual_seed(0)
        model = nn.Linear(2, 2)
        opt = torch.optim.SGD(model.parameters(), lr=lr)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            for _ in range(1500):
                loss = nn.functional.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
        run, found[name] = _diagnose(w.path)
    grad = run.series("grad_norm")
    assert grad is not None
    at_optimum = found["optimum"]
    assert "exploding_gradients" not in at_optimum, at_optimum["exploding_gradients"].summary
    assert "learning_rate_too_low" not in at_optimum
    assert "learning_rate_too_low" in found["too_low"]  # the control: steps small because of the lr


def test_a_pretraining_that_went_non_finite_is_what_is_diagnosed(tmp_path):
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(512, 8, generator=g), torch.randint(0, 4, (512,), generator=g)
    found = {}
    for name, temperature in (("nan", 0.0), ("control", 0.5)):
        torch.manual_seed(0)
        encoder = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 16))
        probe = nn.Linear(16, 4)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            opt = torch.optim.Adam(encoder.parameters(), lr=1e-3)
            for i in torch.randperm(512, generator=g).split(32).__iter__():  # pre-training
                z = nn.functional.normalize(encoder(x[i]), dim=1)
                sim = z @ z.T / temperature  # 0/0 on the diagonal at temperature 0
                loss = -torch.log_softmax(sim, 1).diagonal().mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
            opt = torch.optim.Adam(probe.parameters(), lr=1e-2)  # a new model in turn: the probe
            for _ in range(4):
                for i in torch.randperm(512, generator=g).split(32):
                    loss = nn.functional.cross_entropy(probe(encoder(x[i]).detach()), y[i])
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
        run, found[name] = _diagnose(w.path)
        assert run.meta.get("phase"), "two trainings in turn"
        if name == "nan":
            assert run.meta["phase"][0] == 1  # the pre-training, not the probe after it
    assert "non_finite" in found["nan"]
    assert "non_finite" not in found["control"]


def _sorted_digits_like(n=1200, classes=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    centres = 1.5 * torch.randn(classes, 12, generator=g)
    y = torch.randint(0, classes, (n,), generator=g)
    x = centres[y] + torch.randn(n, 12, generator=g)
    order = torch.argsort(y, stable=True)
    return x, y, x[order], y[order]


def test_accuracies_of_class_sorted_batches_are_not_read_as_variance(tmp_path):
    x, y, xs, ys = _sorted_digits_like()
    xv, yv = x[:300], y[:300]
    found = {}
    for name, (xt, yt) in (("sorted", (xs[300:], ys[300:])), ("shuffled", (x[300:], y[300:]))):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 6))
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            for _ in range(3):
                for i in torch.arange(len(xt)).split(16):  # never shuffled
                    logits = model(xt[i])
                    loss = nn.functional.cross_entropy(logits, yt[i])
                    traindx.log(train_acc=(logits.argmax(1) == yt[i]).float().mean())
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                with torch.no_grad():
                    traindx.log(eval_acc=(model(xv).argmax(1) == yv).float().mean())
        run, found[name] = _diagnose(w.path)
        if name == "sorted":
            skipped = {s.detector: s.reason for s in diagnose_path(w.path)[0][1].skipped}
            assert "sorted by class" in skipped.get("bayes_gap", "")
    assert found["sorted"]["non_convergence"].evidence["criterion"] == "unshuffled"
    assert "high_variance" not in found["sorted"]
    assert "non_convergence" not in found["shuffled"]


def test_tanh_units_driven_to_their_bounds_by_a_good_fit_are_a_note(tmp_path):
    g = torch.Generator().manual_seed(0)
    x = torch.rand(1200, 2, generator=g) * 8 - 4  # un-normalised, as the course's flower data
    y = ((x[:, 0] * x[:, 1]) > 0).long()
    found = {}
    for name, scale in (("fit", 1.0), ("born", 12.0)):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))
        with torch.no_grad():
            model[0].weight.mul_(scale)
        opt = torch.optim.SGD(model.parameters(), lr=0.5)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            for _ in range(1500):
                logits = model(x[:1000])
                loss = nn.functional.cross_entropy(logits, y[:1000])
                traindx.log(train_acc=(logits.argmax(1) == y[:1000]).float().mean())
                opt.zero_grad()
                loss.backward()
                opt.step()
            with torch.no_grad():
                traindx.log(eval_acc=(model(x[1000:]).argmax(1) == y[1000:]).float().mean())
        _, found[name] = _diagnose(w.path)
    fit = found["fit"].get("saturated_activations")
    assert fit is not None and fit.severity.rank == 0 and "learned its task anyway" in fit.summary
    born = found["born"]["saturated_activations"]  # saturated as initialised: a warning or worse
    assert born.severity.rank >= 1 and born.evidence["first_saturated_step"] <= 1


def test_a_skew_judged_on_a_balanced_check_set(tmp_path):
    """98:2 training labels, a 50:50 check set evaluated once at the end: the rare class is
    missed, and a training batch of only the majority class (accuracy 100%) is no proof that the
    model had once learned it."""
    g = torch.Generator().manual_seed(0)
    xr = torch.randn(40, 6, generator=g) * 0.7 + 0.8
    xm = torch.randn(1960, 6, generator=g) * 0.7  # overlapping: the rare class is hard
    x, y = torch.cat([xm, xr]), torch.cat([torch.zeros(1960), torch.ones(40)]).long()
    xc = torch.cat([torch.randn(200, 6, generator=g) * 0.7, torch.randn(200, 6, generator=g) * 0.7 + 0.8])
    yc = torch.cat([torch.zeros(200), torch.ones(200)]).long()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with traindx.watch(out=tmp_path / "skew", alerts=False) as w:
        for _ in range(3):
            for i in torch.randperm(2000, generator=g).split(64):
                logits = model(x[i])
                loss = nn.functional.cross_entropy(logits, y[i])
                traindx.log(train_acc=(logits.argmax(1) == y[i]).float().mean())
                opt.zero_grad()
                loss.backward()
                opt.step()
        with torch.no_grad():
            logits = model(xc)
            nn.functional.cross_entropy(logits, yc)
            traindx.log(eval_acc=(logits.argmax(1) == yc).float().mean())
    _, found = _diagnose(w.path)
    skew = found["class_imbalance"]
    assert skew.severity.rank >= 1, skew.summary
    assert "best_acc_before" not in skew.evidence
    if "no better than" in skew.summary:  # measured against the check set's own majority share
        assert "of the evaluated labels" in skew.summary


def test_a_skew_beside_a_too_low_lr_is_a_note_caused_by_it(tmp_path):
    """Adam at 3e-5 crawls (its loss still above the prior's after 600 steps) and the model
    recalls the frequent class first: the lr is the root cause, the skew a note; at 1e-3 (the
    control) the same skew is what costs the rare class."""
    g = torch.Generator().manual_seed(0)
    y = torch.multinomial(torch.tensor([0.8, 0.15, 0.05]), 3000, replacement=True, generator=g)
    x = torch.randn(3000, 10, generator=g) + nn.functional.one_hot(y, 10).float()
    found = {}
    for name, lr in (("low", 3e-5), ("control", 1e-3)):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3))
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            for _ in range(8):
                for i in torch.randperm(2500, generator=torch.Generator().manual_seed(1)).split(32):
                    logits = model(x[i])
                    loss = nn.functional.cross_entropy(logits, y[i])
                    traindx.log(train_acc=(logits.argmax(1) == y[i]).float().mean())
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                with torch.no_grad():
                    logits = model(x[2500:])
                    nn.functional.cross_entropy(logits, y[2500:])
                    traindx.log(eval_acc=(logits.argmax(1) == y[2500:]).float().mean())
        _, found[name] = _diagnose(w.path)
    low = found["low"]
    assert "learning_rate_too_low" in low and "above the chance level" in low["learning_rate_too_low"].summary
    skew = low["class_imbalance"]
    assert skew.severity.rank == 0 and skew.caused_by == "learning_rate_too_low", skew.summary
    assert low["non_convergence"].caused_by == "learning_rate_too_low"
    assert "learning_rate_too_low" not in found["control"]
    assert found["control"]["class_imbalance"].severity.rank >= 1


def test_an_evaluation_of_the_untrained_model_is_not_the_end_of_the_run(tmp_path):
    """The course's `cost at initialisation` under no_grad, then training, then one evaluation:
    the variance is read from the last, not from the median of the two."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(1500, 8, generator=g)
    y = (x[:, :2].sum(1) > 0).long()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with traindx.watch(out=tmp_path / "run", alerts=False) as w:
        with torch.no_grad():
            logits = model(x[1200:])
            traindx.log(eval_acc=(logits.argmax(1) == y[1200:]).float().mean())  # ~50%, untrained
        for _ in range(10):
            for i in torch.randperm(1200, generator=g).split(32):
                logits = model(x[i])
                loss = nn.functional.cross_entropy(logits, y[i])
                traindx.log(train_acc=(logits.argmax(1) == y[i]).float().mean())
                opt.zero_grad()
                loss.backward()
                opt.step()
        with torch.no_grad():
            traindx.log(eval_acc=(model(x[1200:]).argmax(1) == y[1200:]).float().mean())
    run, found = _diagnose(w.path)
    assert len(run.series("eval_acc")) == 2 and run.series("eval_acc").values[-1] > 0.95
    assert "high_variance" not in found and "overfitting" not in found


def test_a_course_style_cost_log_is_read(tmp_path):
    """`iteration,cost,train_acc,dev_acc`: the course's names for step, loss and the dev set."""
    rows = ["iteration,cost,train_acc,dev_acc"]
    for i in range(0, 2000, 20):
        cost = 0.69 * math.exp(-i / 300) + 0.05
        rows.append(f"{i},{cost:.4f},{1 - cost / 1.5:.4f},{1 - cost / 1.4:.4f}")
    path = tmp_path / "costs.csv"
    path.write_text("\n".join(rows) + "\n")
    run, found = _diagnose(path)
    assert run.series("train_loss") is not None and run.series("eval_acc") is not None
    assert len(run.series("train_loss")) == 100 and not found


def test_a_step_log_whose_loss_settled_within_its_first_tenth_is_not_non_convergence(tmp_path):
    """A noisy task (15% of the labels flipped) learned within the first tenth of the steps and
    flat after: from the log alone (no class prior), the fall from the first points and the
    accuracy that rose say the model learned; the same log with the accuracy left at chance (labels
    shuffled: nothing to learn) still reads as non-convergence."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(4000, 6, generator=g)
    y = (x[:, 0] > 0).long()
    flip = torch.rand(4000, generator=g) < 0.15
    y[flip] = 1 - y[flip]
    for name, labels in (("noisy", y), ("shuffled", y[torch.randperm(4000, generator=g)])):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        rows, step = ["step,train_loss,train_acc"], 0
        for _ in range(8):
            for i in torch.randperm(4000, generator=g).split(64):
                logits = model(x[i])
                loss = nn.functional.cross_entropy(logits, labels[i])
                acc = (logits.argmax(1) == labels[i]).float().mean()
                rows.append(f"{step},{loss.item():.5f},{acc.item():.4f}")
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
        path = tmp_path / f"{name}.csv"
        path.write_text("\n".join(rows) + "\n")
        run, found = _diagnose(path)
        if name == "noisy":
            tr = run.series("train_loss").values
            assert tr[: len(tr) // 10].mean() < 0.9 * tr[:3].mean()  # learned within the first tenth
            assert "non_convergence" not in found
        else:
            assert "non_convergence" in found


def test_a_class_weighted_model_below_the_majority_rate_is_not_high_bias(tmp_path):
    """Weighting the rare class 8:1 trades majority accuracy for recall: a train accuracy under the
    majority rate is that trade, not a model that cannot fit its data (fresh4: a loan-default model
    with a heavy dropout read as high bias once its measured dropout crossed 60%). The fit is not
    measured against the majority rate then; unweighted (the control), it is."""
    from traindx.diagnose.detectors.bayes_gap import _training_fit

    g = torch.Generator().manual_seed(0)
    y = (torch.rand(3000, generator=g) < 0.11).long()
    x = torch.randn(3000, 8, generator=g) + y[:, None].float() * 0.8
    fits = {}
    for name, weight in (("weighted", torch.tensor([1.0, 8.0])), ("plain", None)):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.7), nn.Linear(64, 2))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            for _ in range(6):
                for i in torch.randperm(3000, generator=g).split(64):
                    logits = model(x[i])
                    loss = nn.functional.cross_entropy(logits, y[i], weight=weight)
                    traindx.log(train_acc=(logits.argmax(1) == y[i]).float().mean())
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
        run, found = _diagnose(w.path)
        fits[name] = _training_fit(run, float(run.series("train_loss").values[-1]))
        if name == "weighted":
            assert run.series("train_acc").values[-20:].mean() < 0.89  # below the majority rate
            assert "high_bias" not in found
    assert fits["weighted"] is None and fits["plain"] is not None
