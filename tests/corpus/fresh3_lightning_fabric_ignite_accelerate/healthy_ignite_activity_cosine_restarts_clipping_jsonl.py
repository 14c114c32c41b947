# expect:
# allow:
# forbid: *
# evidence: val_acc 0.979, val_loss 0.065 (chance 0.25); 74% of steps had grad norm above the 0.5 clip
# native-log: activity_log.jsonl
# log-expect:
# log-allow:
"""Human-activity-style classification from 3-axis 'accelerometer' windows (64 steps; 4 classes:
rest, walk, run, stairs = different cadence / amplitude / vertical-axis pattern, random phase,
sensor noise and a random orientation tilt). Ignite Engine with a custom process_function that
clips the gradient norm at 0.5 on every step (clipping is active on a good share of the steps early
on -- that is the point of having it), and an Ignite CosineAnnealingScheduler with warm restarts
(cycle of 2 epochs, doubling: cycle_mult=2). Each restart puts the lr back to 0.08, which produces
visible bumps in the training loss that recover within the cycle. JSONL log written by event
handlers (per 5 iterations and per epoch).
"""
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
from ignite.handlers import CosineAnnealingScheduler
from ignite.utils import manual_seed

warnings.filterwarnings("ignore")
L = 64


def activity(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(L).float()[None]
    cad = torch.tensor([0.0, 1.8, 3.0, 1.3])[y][:, None] * (1 + 0.1 * torch.randn(n, 1, generator=g))
    amp = torch.tensor([0.05, 1.0, 2.0, 1.0])[y][:, None] * (1 + 0.2 * torch.randn(n, 1, generator=g))
    ph = 2 * math.pi * torch.rand(n, 1, generator=g)
    base = torch.sin(2 * math.pi * cad * t / 16 + ph)
    vert = amp * base + (y[:, None] == 3).float() * 0.8 * torch.sin(2 * math.pi * cad * t / 32 + ph) ** 2
    fwd = 0.5 * amp * torch.cos(2 * math.pi * cad * t / 16 + ph)
    side = 0.2 * amp * torch.sin(4 * math.pi * cad * t / 16 + ph)
    x = torch.stack([fwd, side, vert + 1.0], 1)  # gravity on the vertical axis
    tilt = 0.3 * torch.randn(n, 1, 1, generator=g)
    x = torch.stack([x[:, 0] * torch.cos(tilt[:, 0]) - x[:, 2] * torch.sin(tilt[:, 0]), x[:, 1],
                     x[:, 0] * torch.sin(tilt[:, 0]) + x[:, 2] * torch.cos(tilt[:, 0])], 1)
    return x + 0.3 * torch.randn(x.shape, generator=g), y


def main():
    torch.set_num_threads(1)
    manual_seed(37)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="har_")
    os.makedirs(log_dir, exist_ok=True)
    g = torch.Generator().manual_seed(37)
    xtr, ytr = activity(1600, g)
    xva, yva = activity(800, g)
    model = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                          nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                          nn.Flatten(), nn.Linear(32, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.08, momentum=0.9)
    clipped = []

    def step(engine, batch):
        model.train()
        x, y = batch
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5).item()
        clipped.append(gn > 0.5)
        opt.step()
        return loss.item(), gn

    trainer = Engine(step)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    sched = CosineAnnealingScheduler(opt, "lr", start_value=0.08, end_value=1e-3,
                                     cycle_size=2 * len(dl), cycle_mult=2)
    trainer.add_event_handler(Events.ITERATION_STARTED, sched)
    fh = open(os.path.join(log_dir, "activity_log.jsonl"), "w")

    @trainer.on(Events.ITERATION_COMPLETED(every=5))
    def log_it(engine):
        loss, gn = engine.state.output
        fh.write(json.dumps({"iteration": engine.state.iteration, "epoch": engine.state.epoch,
                             "train_loss": round(loss, 5), "grad_norm": round(gn, 5),
                             "lr": opt.param_groups[0]["lr"]}) + "\n")

    @trainer.on(Events.EPOCH_COMPLETED)
    def validate(engine):
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        fh.write(json.dumps({"iteration": engine.state.iteration, "epoch": engine.state.epoch,
                             "val_loss": round(F.cross_entropy(lv, yva).item(), 5),
                             "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 5)}) + "\n")

    trainer.run(dl, max_epochs=6)
    fh.close()
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "frac_steps_clipped": round(sum(clipped) / len(clipped), 3),
        "chance_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
