# expect:
# allow:
# forbid: *
# evidence: val_balanced_acc 0.999, per-class recall [0.998, 1.0, 1.0] with priors 88/8/4% (chance balanced acc 0.33)
# native-log: beats
# log-expect:
# log-allow:
"""Skewed-but-handled classes: 1-D 'heartbeat' windows (96 samples) with 3 classes at 88% / 8% / 4%
(normal beat, a widened beat, an extra early bump). The classes are genuinely skewed, and the loop
handles it the standard way: cross-entropy with inverse-frequency class weights, and model
selection on balanced accuracy. HF accelerate loop with the built-in TensorBoard tracker
(Accelerator(log_with="tensorboard"), init_trackers / accelerator.log / end_training).
native-log is the tracker's run folder (holds the events.out.tfevents.* file).
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

from accelerate import Accelerator
from accelerate.utils import set_seed

warnings.filterwarnings("ignore")
L = 96
PRIOR = torch.tensor([0.88, 0.08, 0.04])


def beats(n, g):
    y = torch.multinomial(PRIOR, n, replacement=True, generator=g)
    t = torch.arange(L).float()
    centre = 48 + 6 * torch.randn(n, 1, generator=g)
    width = torch.where(y[:, None] == 1, torch.tensor(5.0), torch.tensor(2.5)) + 0.5 * torch.rand(n, 1, generator=g)
    x = torch.exp(-0.5 * ((t - centre) / width) ** 2)
    early = torch.exp(-0.5 * ((t - centre + 20) / 2.5) ** 2) * 0.6
    x = x + (y[:, None] == 2).float() * early
    x = x * (0.7 + 0.6 * torch.rand(n, 1, generator=g)) + 0.15 * torch.randn(n, L, generator=g)
    return x[:, None], y


def balanced_acc(pred, y):
    return sum(((pred == c) & (y == c)).sum().item() / max(1, (y == c).sum().item()) for c in range(3)) / 3


def main():
    torch.set_num_threads(1)
    set_seed(19)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="beats_")
    g = torch.Generator().manual_seed(19)
    xtr, ytr = beats(3000, g)
    xva, yva = beats(1500, g)
    accelerator = Accelerator(cpu=True, log_with="tensorboard", project_dir=log_dir)
    accelerator.init_trackers("beats")
    model = nn.Sequential(nn.Conv1d(1, 8, 9, padding=4), nn.ReLU(), nn.MaxPool1d(4),
                          nn.Conv1d(8, 16, 5, padding=2), nn.ReLU(), nn.AdaptiveMaxPool1d(1),
                          nn.Flatten(), nn.Linear(16, 3))
    freq = torch.bincount(ytr, minlength=3).float() / len(ytr)
    weight = (1.0 / freq) / (1.0 / freq).sum() * 3
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model, opt, dl = accelerator.prepare(model, opt, dl)
    best, best_state, step = -1.0, None, 0
    for epoch in range(10):
        model.train()
        for x, y in dl:
            loss = F.cross_entropy(model(x), y, weight=weight)
            opt.zero_grad()
            accelerator.backward(loss)
            opt.step()
            if step % 5 == 0:
                accelerator.log({"train_loss": loss.item()}, step=step)
            step += 1
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        bal = balanced_acc(lv.argmax(1), yva)
        accelerator.log({"val_loss": F.cross_entropy(lv, yva, weight=weight).item(),
                         "val_acc": (lv.argmax(1) == yva).float().mean().item(),
                         "val_balanced_acc": bal}, step=step)
        if bal > best:
            best, best_state = bal, {k: v.clone() for k, v in model.state_dict().items()}
    accelerator.end_training()
    model.load_state_dict(best_state)
    model.eval()
    with torch.no_grad():
        lv = model(xva)
    pred = lv.argmax(1)
    rec = [((pred == c) & (yva == c)).sum().item() / max(1, (yva == c).sum().item()) for c in range(3)]
    print("CORPUS_METRIC " + json.dumps({
        "val_balanced_acc": round(balanced_acc(pred, yva), 4),
        "val_acc": round((pred == yva).float().mean().item(), 4),
        "val_recall_per_class": [round(r, 4) for r in rec],
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "class_prior": PRIOR.tolist(),
        "chance_balanced_acc": 0.3333,
    }))


if __name__ == "__main__":
    main()
