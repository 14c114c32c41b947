"""Research-style training script: MLP on 8x8 digits with a small Trainer class.

usage: python healthy_argparse_trainer_digits.py --epochs 30 --lr 3e-3
"""
# expect:
# allow:
# forbid: *
# evidence: healthy; digits MLP with AdamW + warmup/cosine reaches val_acc 0.969 (chance 0.10), val_loss 0.083 flat at the end, train_loss ~0.001 (long fit, no val rise)
import argparse, json, math, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONFIG = {
    "seed": 0, "epochs": 30, "batch_size": 32, "lr": 3e-3, "weight_decay": 1e-4,
    "hidden": 256, "dropout": 0.2, "warmup_epochs": 2,
}


class MLP(nn.Module):
    def __init__(self, d_in, hidden, n_cls, p):
        super().__init__()
        self.fc1 = nn.Linear(d_in, hidden)
        self.fc2 = nn.Linear(hidden, hidden // 2)
        self.head = nn.Linear(hidden // 2, n_cls)
        self.drop = nn.Dropout(p)

    def forward(self, x):
        x = self.drop(F.gelu(self.fc1(x)))
        x = self.drop(F.gelu(self.fc2(x)))
        return self.head(x)


class Trainer:
    def __init__(self, model, cfg, train_data, val_data):
        self.model, self.cfg = model, cfg
        self.Xtr, self.ytr = train_data
        self.Xva, self.yva = val_data
        self.opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
        steps_per_epoch = math.ceil(len(self.Xtr) / cfg["batch_size"])
        self.total = cfg["epochs"] * steps_per_epoch
        self.warm = cfg["warmup_epochs"] * steps_per_epoch
        self.sched = torch.optim.lr_scheduler.LambdaLR(self.opt, self._lr_lambda)
        self.history = []

    def _lr_lambda(self, step):
        if step < self.warm:
            return (step + 1) / self.warm
        prog = (step - self.warm) / max(1, self.total - self.warm)
        return 0.5 * (1 + math.cos(math.pi * prog))

    def train_epoch(self):
        self.model.train()
        perm = torch.randperm(len(self.Xtr))
        tot = 0.0
        for i in range(0, len(perm), self.cfg["batch_size"]):
            b = perm[i:i + self.cfg["batch_size"]]
            loss = F.cross_entropy(self.model(self.Xtr[b]), self.ytr[b])
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            self.opt.step(); self.sched.step()
            tot += loss.item() * len(b)
        return tot / len(self.Xtr)

    @torch.no_grad()
    def evaluate(self, X, y):
        self.model.eval()
        out = self.model(X)
        return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()

    def fit(self):
        for ep in range(self.cfg["epochs"]):
            t0 = time.time()
            tl = self.train_epoch()
            vl, va = self.evaluate(self.Xva, self.yva)
            self.history.append((tl, vl, va))
            print(f"[ep {ep:02d}] train {tl:.4f} | val {vl:.4f} acc {va:.4f} | lr {self.sched.get_last_lr()[0]:.2e} | {time.time()-t0:.2f}s")
        return self.history


def main():
    p = argparse.ArgumentParser()
    for k, v in CONFIG.items():
        p.add_argument(f"--{k.replace('_', '-')}", type=type(v), default=v)
    cfg = vars(p.parse_args())
    torch.set_num_threads(1)
    torch.manual_seed(cfg["seed"]); np.random.seed(cfg["seed"])
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0 - 0.5) / 0.5
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=cfg["seed"], stratify=y)
    to = lambda a, dt: torch.tensor(a, dtype=dt)
    model = MLP(64, cfg["hidden"], 10, cfg["dropout"])
    tr = Trainer(model, cfg, (to(Xtr, torch.float32), to(ytr, torch.long)), (to(Xva, torch.float32), to(yva, torch.long)))
    tr.fit()
    trl, tra = tr.evaluate(tr.Xtr, tr.ytr)
    vl, va = tr.evaluate(tr.Xva, tr.yva)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
