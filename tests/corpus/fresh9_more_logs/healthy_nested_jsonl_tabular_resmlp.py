# expect:
# allow:
# forbid: *
# evidence: pre-norm residual MLP on make_classification tabular data (3 classes, 3% flipped labels), 25 epochs AdamW + cosine: train_loss 0.092, val_loss 0.134, val_acc 0.97 (chance 0.33)
# native-log: metrics.jsonl
# log-expect:
# log-allow:
# One nested JSON object per epoch:
# {"epoch": 3, "lr": ..., "train": {"loss": .., "acc": ..}, "val": {"loss": .., "acc": ..}}
import json
import os
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def synth(seed):
    from sklearn.datasets import make_classification
    x, y = make_classification(n_samples=5000, n_features=20, n_informative=6, n_redundant=4, n_classes=3,
                               n_clusters_per_class=1, class_sep=1.6, flip_y=0.03, random_state=seed)
    x = (x - x[:4000].mean(0)) / x[:4000].std(0)
    x, y = torch.tensor(x, dtype=torch.float32), torch.tensor(y)
    return x[:4000], y[:4000], x[4000:], y[4000:]


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.SiLU(), nn.Dropout(0.1), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class ResMLP(nn.Module):
    def __init__(self, d_in=20, d=64, n_blocks=2, n_out=3):
        super().__init__()
        self.inp = nn.Linear(d_in, d)
        self.blocks = nn.Sequential(*[Block(d) for _ in range(n_blocks)])
        self.out = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, n_out))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        o = model(x)
        return F.cross_entropy(o, y).item(), (o.argmax(1) == y).float().mean().item()


def main(log_path):
    torch.set_num_threads(1)
    torch.manual_seed(4)
    xtr, ytr, xva, yva = synth(4)
    model = ResMLP()
    epochs = 25
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    with open(log_path, "w") as log:
        for epoch in range(1, epochs + 1):
            model.train()
            for idx in torch.randperm(len(xtr)).split(128):
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
            lr = sched.get_last_lr()[0]
            sched.step()
            tr = evaluate(model, xtr, ytr)
            va = evaluate(model, xva, yva)
            rec = {"epoch": epoch, "lr": lr, "train": {"loss": round(tr[0], 5), "acc": round(tr[1], 4)},
                   "val": {"loss": round(va[0], 5), "acc": round(va[1], 4)}}
            log.write(json.dumps(rec) + "\n")
            if epoch % 5 == 0:
                print(rec)
    return {"val_loss": round(va[0], 4), "val_acc": round(va[1], 4), "train_loss": round(tr[0], 4), "chance_acc": 0.3333}


if __name__ == "__main__":
    d = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(d, exist_ok=True)
    res = main(os.path.join(d, "metrics.jsonl"))
    sys.stdout.write("CORPUS_METRIC " + json.dumps(res) + "\n")
