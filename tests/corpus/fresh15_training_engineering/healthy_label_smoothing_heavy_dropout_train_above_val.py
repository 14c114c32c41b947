"""Heavy dropout (p=0.5) + label smoothing 0.1, gradient accumulation over 4 micro-batches,
and a callbacks list with a throughput/metrics printer. The logged TRAIN loss is computed in train
mode (dropout on, smoothed targets) and stays ABOVE the validation loss for the whole run - the
regulariser, not a bug. Val is measured with plain cross-entropy in eval mode.
"""
# expect:
# allow:
# forbid: *
# evidence: digits MLP, dropout 0.5 + label smoothing 0.1, Adam 1e-3, 4x16 accumulation; logged train loss (train mode, smoothed) 0.666 stays above val_loss 0.213 all run; val_acc 0.967 (chance 0.10); eval-mode train CE 0.134
# native-log: log.jsonl
# log-expect:
# log-allow:
import json, os, random, tempfile, time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(21); np.random.seed(21); torch.manual_seed(21)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


@dataclass
class Config:
    lr: float = 1e-3
    epochs: int = 11
    micro_batch: int = 16
    accum: int = 4
    dropout: float = 0.5
    label_smoothing: float = 0.1


cfg = Config()
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=21, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class JsonlMetrics:
    def __init__(self, path): self.f = open(path, "w"); self.t0 = time.time()
    def __call__(self, rec): rec["time"] = round(time.time() - self.t0, 3); self.f.write(json.dumps(rec) + "\n"); self.f.flush()


class Trainer:
    def __init__(self, model, callbacks):
        self.model, self.callbacks = model, callbacks
        self.opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
        self.crit = nn.CrossEntropyLoss(label_smoothing=cfg.label_smoothing)

    def fit(self):
        step = 0
        for epoch in range(cfg.epochs):
            perm = torch.randperm(len(Xtr)); tot, n = 0.0, 0; self.opt.zero_grad()
            nm = len(perm) // cfg.micro_batch
            for m in range(nm):
                j = perm[m * cfg.micro_batch:(m + 1) * cfg.micro_batch]
                loss = self.crit(self.model(Xtr[j]), ytr[j]); (loss / cfg.accum).backward()
                tot += loss.item(); n += 1
                if (m + 1) % cfg.accum == 0:
                    self.opt.step(); self.opt.zero_grad(); step += 1
            self.model.eval()
            with torch.no_grad():
                out = self.model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
            self.model.train()
            rec = {"epoch": epoch, "step": step, "train_loss": round(tot / n, 5), "val_loss": round(vl, 5), "val_acc": round(va, 4), "lr": cfg.lr}
            for cb in self.callbacks: cb(rec)
            print(rec)
        return tot / n, vl, va


model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(cfg.dropout), nn.Linear(256, 256), nn.ReLU(), nn.Dropout(cfg.dropout), nn.Linear(256, 10))
trl, vl, va = Trainer(model, [JsonlMetrics(os.path.join(LOG_DIR, "log.jsonl"))]).fit()
model.eval()
with torch.no_grad():
    trl_eval = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_loss_eval_mode": round(trl_eval, 4), "chance_acc": 0.1}))
