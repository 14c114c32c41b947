"""Resume after preemption that reloads ONLY the model weights and re-creates the optimizer.

The resume config has lr=1e-1 instead of 1e-3 (a typo in the resume YAML: 100x the tuned Adam lr).
Phase 1 trains 6 epochs fine; after the resume the loss jumps and the run degrades.
--control: the resume lr is the tuned 1e-3 (optimizer still re-created, only the lr differs).
"""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite
# forbid: *
# evidence: digits MLP, phase 1 (Adam 1e-3) reaches val_loss 0.098 at epoch 5; resumed with a re-created Adam at lr 0.1 the val_loss jumps to 2.12 and ends at 1.47, val_acc 0.42, train_loss 1.38; control (resume lr 1e-3) ends val_loss 0.089, val_acc 0.980, train_loss 0.003 (chance 0.10)
# control: --control
# native-log: train_log.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence
import argparse, csv, json, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(6); np.random.seed(6); torch.manual_seed(6)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
CKPT_DIR = tempfile.mkdtemp()


@dataclass
class Config:
    lr: float = 1e-3
    resume_lr: float = 1e-1          # typo in the resume config: should be 1e-3
    batch_size: int = 32
    total_epochs: int = 12
    preempt_after: int = 6


X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


def build_model():
    return nn.Sequential(nn.Linear(64, 256), nn.GELU(), nn.Dropout(0.2), nn.Linear(256, 128), nn.GELU(), nn.Linear(128, 10))


class Trainer:
    def __init__(self, cfg, lr):
        self.cfg = cfg
        self.model = build_model()
        self.opt = torch.optim.Adam(self.model.parameters(), lr=lr)
        self.sched = torch.optim.lr_scheduler.StepLR(self.opt, step_size=4, gamma=0.5)
        self.epoch, self.step = 0, 0
        path = os.path.join(LOG_DIR, "train_log.csv"); new = not os.path.exists(path)
        self.f = open(path, "a", newline=""); self.w = csv.writer(self.f)
        if new: self.w.writerow(["step", "epoch", "loss", "val_loss", "val_acc", "lr"])

    def save(self, path):
        torch.save({"model": self.model.state_dict(), "opt": self.opt.state_dict(), "sched": self.sched.state_dict(),
                    "epoch": self.epoch, "step": self.step, "rng": torch.get_rng_state()}, path)

    def load_weights(self, path):
        # "optimizer state is huge, we only keep the weights" -> fresh optimizer/scheduler at cfg.resume_lr
        ck = torch.load(path, weights_only=False)
        self.model.load_state_dict(ck["model"])
        self.epoch, self.step = ck["epoch"], ck["step"]; torch.set_rng_state(ck["rng"])

    def evaluate(self):
        self.model.eval()
        with torch.no_grad():
            out = self.model(Xva); r = F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()
        self.model.train(); return r

    def fit(self, until_epoch):
        while self.epoch < until_epoch:
            perm = torch.randperm(len(Xtr))
            for i in range(0, len(perm), self.cfg.batch_size):
                j = perm[i:i + self.cfg.batch_size]
                loss = F.cross_entropy(self.model(Xtr[j]), ytr[j])
                self.opt.zero_grad(); loss.backward(); self.opt.step(); self.step += 1
                if self.step % 5 == 0:
                    self.w.writerow([self.step, self.epoch, f"{loss.item():.5f}", "", "", self.opt.param_groups[0]["lr"]])
            self.sched.step()
            vl, va = self.evaluate()
            self.w.writerow([self.step, self.epoch, "", f"{vl:.5f}", f"{va:.4f}", self.opt.param_groups[0]["lr"]]); self.f.flush()
            print(f"epoch {self.epoch} step {self.step} val_loss {vl:.4f} val_acc {va:.4f} lr {self.opt.param_groups[0]['lr']:.2e}")
            self.epoch += 1
        return vl, va


ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
cfg = Config()
if args.control:
    cfg.resume_lr = 1e-3
ckpt = os.path.join(CKPT_DIR, "last.pt")
t1 = Trainer(cfg, cfg.lr)
t1.fit(cfg.preempt_after); t1.save(ckpt); t1.f.close()
del t1
print("--- preempted; resuming from", ckpt)
t2 = Trainer(cfg, cfg.resume_lr)
t2.load_weights(ckpt)
vl, va = t2.fit(cfg.total_epochs)
t2.f.close()
with torch.no_grad():
    t2.model.eval(); trl = F.cross_entropy(t2.model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.1}))
