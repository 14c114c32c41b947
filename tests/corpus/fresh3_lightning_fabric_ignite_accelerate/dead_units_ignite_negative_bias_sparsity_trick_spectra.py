# expect: dead_units
# allow: poor_initialization, non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (first-layer bias -1.0) val_acc 0.705, val_loss 0.683, 99.2% of first-layer ReLUs never fire at start and end; control (default init) val_acc 0.934, val_loss 0.155, 8.6%->12.5% dead (chance 0.2)
# control: --control
# native-log: spectra_metrics.csv
# log-expect:
# log-allow: non_convergence, high_bias
"""Material identification from 64-bin normalised spectra (magnitudes in [0, 1]; 5 materials with
overlapping absorption peaks, random baseline and noise). The MLP (64-128-128-5, ReLU) has its
first hidden layer's biases initialised to -1.0, a "sparse activation" trick copied from a
sparse-coding recipe (there the inputs were whitened and much larger). With these small
non-negative inputs the pre-activations sit several standard deviations below zero: nearly all
first-layer ReLUs never fire on any input, get no gradient, and stay dead for the whole run; the
handful of live units caps what the network can learn. Probe: per hidden layer, the fraction of
ReLUs that are zero on every validation example, at the start and at the end. Ignite Engine with a custom process_function, CSV written by handlers.
--control keeps PyTorch's default bias init (the only change).
"""
import argparse
import csv
import json
import math
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Engine, Events
from ignite.utils import manual_seed

warnings.filterwarnings("ignore")
B, K = 64, 5


def spectra(n, g, centres):
    y = torch.randint(0, K, (n,), generator=g)
    f = torch.arange(B).float()[None]
    s = torch.zeros(n, B)
    for j in range(3):
        c = centres[y, j][:, None] + 1.5 * torch.randn(n, 1, generator=g)
        s = s + (0.5 + 0.5 * torch.rand(n, 1, generator=g)) * torch.exp(-0.5 * ((f - c) / 3.0) ** 2)
    base = 0.2 * torch.rand(n, 1, generator=g) + 0.1 * torch.rand(n, 1, generator=g) * f / B
    s = s + base + 0.05 * torch.randn(n, B, generator=g)
    s = s.clamp(min=0)
    return s / s.max(1, keepdim=True).values, y


def dead_fraction(model, x):
    with torch.no_grad():
        h1 = model[1](model[0](x))
        h2 = model[3](model[2](h1))
    return [round(((h > 0).sum(0) == 0).float().mean().item(), 4) for h in (h1, h2)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    manual_seed(71)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="spec_")
    os.makedirs(log_dir, exist_ok=True)
    g = torch.Generator().manual_seed(71)
    centres = 8 + 48 * torch.rand(K, 3, generator=g)
    xtr, ytr = spectra(2000, g, centres)
    xva, yva = spectra(800, g, centres)
    model = nn.Sequential(nn.Linear(B, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, K))
    if not args.control:
        nn.init.constant_(model[0].bias, -1.0)
    dead_start = dead_fraction(model, xva)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(engine, batch):
        model.train()
        x, y = batch
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    trainer = Engine(step)
    fh = open(os.path.join(log_dir, "spectra_metrics.csv"), "w", newline="")
    wr = csv.writer(fh)
    wr.writerow(["iteration", "epoch", "train_loss", "val_loss", "val_acc"])

    @trainer.on(Events.ITERATION_COMPLETED(every=5))
    def log_it(engine):
        wr.writerow([engine.state.iteration, engine.state.epoch, f"{engine.state.output:.5f}", "", ""])

    @trainer.on(Events.EPOCH_COMPLETED)
    def validate(engine):
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        wr.writerow([engine.state.iteration, engine.state.epoch, "", f"{F.cross_entropy(lv, yva).item():.5f}",
                     f"{(lv.argmax(1) == yva).float().mean().item():.4f}"])

    trainer.run(DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True), max_epochs=10)
    fh.close()
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "dead_relu_frac_start_per_layer": dead_start,
        "dead_relu_frac_end_per_layer": dead_fraction(model, xva),
        "chance_acc": 0.2,
    }))


if __name__ == "__main__":
    main()
