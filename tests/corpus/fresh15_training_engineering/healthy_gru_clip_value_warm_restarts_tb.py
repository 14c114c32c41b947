"""GRU sequence classifier with gradient clipping BY VALUE (clip_grad_value_ 0.5) and
CosineAnnealingWarmRestarts (T_0 = 2 epochs, T_mult = 2) stepped per batch with fractional epochs.

Each restart jumps the lr back up and the train loss bumps briefly - the schedule, not a problem.
TensorBoard event files via torch.utils.tensorboard.SummaryWriter.
Task: does the sequence of noisy +/-1 tokens contain more +1 than -1 (a counting task over 21 steps)
"""
# expect:
# allow:
# forbid: *
# evidence: GRU counting task (21 steps, chance 0.507), Adam 5e-3, clip_grad_value 0.5, warm restarts at epochs 2 and 6 (epoch-2 restart bumps val_loss 0.079 -> 0.116, then recovers); final val_loss 0.013, val_acc 1.000, train_loss 0.013
# native-log: runs
# log-expect:
# log-allow:
import json, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1)
random.seed(20); np.random.seed(20); torch.manual_seed(20)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()


@dataclass
class Config:
    seq_len: int = 21
    n_train: int = 2000
    n_val: int = 1000
    hidden: int = 48
    lr: float = 5e-3
    epochs: int = 6
    batch_size: int = 64
    clip_value: float = 0.5


cfg = Config()
rng = np.random.default_rng(20)


def make(n):
    s = rng.choice([-1.0, 1.0], size=(n, cfg.seq_len)); y = (s.sum(1) > 0).astype(np.int64)
    x = np.stack([s, rng.normal(scale=0.5, size=s.shape)], -1).astype(np.float32)
    return torch.tensor(x), torch.tensor(y)


Xtr, ytr = make(cfg.n_train); Xva, yva = make(cfg.n_val)


class GRUClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, cfg.hidden, batch_first=True); self.head = nn.Linear(cfg.hidden, 2)

    def forward(self, x):
        _, h = self.gru(x); return self.head(h[-1])


model = GRUClassifier()
opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
writer = SummaryWriter(os.path.join(LOG_DIR, "runs"))
steps_per_epoch = (cfg.n_train + cfg.batch_size - 1) // cfg.batch_size
step = 0
for epoch in range(cfg.epochs):
    perm = torch.randperm(cfg.n_train)
    for b, i in enumerate(range(0, cfg.n_train, cfg.batch_size)):
        j = perm[i:i + cfg.batch_size]
        loss = F.cross_entropy(model(Xtr[j]), ytr[j])
        opt.zero_grad(); loss.backward()
        torch.nn.utils.clip_grad_value_(model.parameters(), cfg.clip_value)
        opt.step(); sched.step(epoch + (b + 1) / steps_per_epoch); step += 1
        writer.add_scalar("Loss/train", loss.item(), step); writer.add_scalar("LR", opt.param_groups[0]["lr"], step)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        o2 = model(Xtr); tl = F.cross_entropy(o2, ytr).item()
    model.train()
    writer.add_scalar("Loss/val", vl, step); writer.add_scalar("Accuracy/val", va, step)
    print(f"epoch {epoch} lr {opt.param_groups[0]['lr']:.2e} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(float(max(yva.float().mean(), 1 - yva.float().mean())), 4)}))
