"""Gradient accumulation: micro-batches of 8, accumulated over 8 steps (effective batch 64).

The loss is divided by the accumulation steps. The JSON-lines log records every micro-batch's
(undivided) loss, so the logged curve is very noisy although the training is healthy.
"""
# expect:
# allow:
# forbid: *
# evidence: small CNN on digits 8x8, AdamW lr 2e-3, micro-batch 8 x 8 accumulation; last-epoch micro-batch losses range 0.0006-0.61 (std 0.074 vs mean 0.046: a noisy log) yet val_acc 0.973, val_loss 0.088 (chance 0.10), train_loss 0.037
# native-log: micro_losses.jsonl
# log-expect:
# log-allow:
import json, os, random, tempfile
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
random.seed(1); np.random.seed(1); torch.manual_seed(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


@dataclass
class TrainConfig:
    micro_batch: int = 8
    accum_steps: int = 8
    lr: float = 2e-3
    weight_decay: float = 1e-2
    epochs: int = 6
    log_path: str = field(default_factory=lambda: os.path.join(LOG_DIR, "micro_losses.jsonl"))


X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.38
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=1, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1); self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = F.relu(self.c1(x)); x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


class JsonlLogger:
    def __init__(self, path): self.f = open(path, "w")
    def log(self, **kw): self.f.write(json.dumps(kw) + "\n")
    def close(self): self.f.close()


class Trainer:
    def __init__(self, cfg, model):
        self.cfg, self.model = cfg, model
        self.opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        self.logger = JsonlLogger(cfg.log_path)
        self.global_step = 0; self.micro_step = 0

    def evaluate(self):
        self.model.eval()
        with torch.no_grad():
            out = self.model(Xva)
            r = F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()
        self.model.train(); return r

    def fit(self):
        cfg = self.cfg
        for epoch in range(cfg.epochs):
            perm = torch.randperm(len(Xtr))
            self.opt.zero_grad(set_to_none=True)
            n_micro = len(perm) // cfg.micro_batch
            for m in range(n_micro):
                j = perm[m * cfg.micro_batch:(m + 1) * cfg.micro_batch]
                loss = F.cross_entropy(self.model(Xtr[j]), ytr[j])
                (loss / cfg.accum_steps).backward()
                self.micro_step += 1
                self.logger.log(micro_step=self.micro_step, step=self.global_step, epoch=epoch, loss=round(loss.item(), 5))
                if (m + 1) % cfg.accum_steps == 0:
                    self.opt.step(); self.opt.zero_grad(set_to_none=True); self.global_step += 1
            vl, va = self.evaluate()
            self.logger.log(step=self.global_step, epoch=epoch, val_loss=round(vl, 5), val_acc=round(va, 4), lr=self.opt.param_groups[0]["lr"])
            print(f"epoch {epoch} step {self.global_step} val_loss {vl:.4f} val_acc {va:.4f}")
        self.logger.close()
        return vl, va


tr = Trainer(TrainConfig(), SmallCNN())
vl, va = tr.fit()
with torch.no_grad():
    trl = F.cross_entropy(tr.model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.1}))
