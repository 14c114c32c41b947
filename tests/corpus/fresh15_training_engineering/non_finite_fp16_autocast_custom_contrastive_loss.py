"""Prototype (cosine) classifier with a hand-written softmax loss under fp16 autocast on CPU.

The custom loss computes exp(scale * cos) / sum(exp(...)) itself (no max-subtraction, no
log-sum-exp) with a learnable logit scale initialised at 1/0.07 ~ 14.3 (CLIP recipe). Under
torch.autocast(dtype=float16) the logits come out of the matmul in fp16, whose max is 65504
= exp(11.1): as soon as cos > ~0.78 the exponent overflows to inf, inf/inf = NaN, and NaN spreads
to the weights.
--control: the same custom loss, computed on logits.float() (fp32) - the only change.
"""
# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: digits, ProtoNet with logit scale 14.3, Adam 2e-3, fp16 autocast; planted: epoch 0 fine (val_acc 0.931), epoch 1 first NaN losses (exp overflow in fp16), then 12769 non-finite weights, val_loss nan, val_acc 0.100; control (same loss on logits.float()): no non-finite values, val_loss 0.097, val_acc 0.969, train_loss 0.007 (chance 0.10)
# control: --control
# native-log: train.jsonl
# log-expect: non_finite
# log-allow: non_convergence
import argparse, json, math, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(12); np.random.seed(12); torch.manual_seed(12)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()


@dataclass
class Config:
    lr: float = 2e-3
    epochs: int = 8
    batch_size: int = 64
    loss_in_fp32: bool = False


cfg = Config(loss_in_fp32=args.control)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=12, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class ProtoNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 32))
        self.protos = nn.Parameter(torch.randn(10, 32))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, x):
        z = F.normalize(self.enc(x), dim=1); p = F.normalize(self.protos, dim=1)
        return self.logit_scale.exp() * (z @ p.t())


def custom_softmax_loss(logits, target):
    e = torch.exp(logits)
    prob = e / e.sum(dim=1, keepdim=True)
    return -torch.log(prob.gather(1, target[:, None]) + 1e-4).mean()


model = ProtoNet()
opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
log = open(os.path.join(LOG_DIR, "train.jsonl"), "w")
step = 0
for epoch in range(cfg.epochs):
    perm = torch.randperm(len(Xtr)); n_nan = 0
    for i in range(0, len(perm), cfg.batch_size):
        j = perm[i:i + cfg.batch_size]
        with torch.autocast("cpu", dtype=torch.float16):
            logits = model(Xtr[j])
            loss = custom_softmax_loss(logits.float() if cfg.loss_in_fp32 else logits, ytr[j])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        n_nan += int(not math.isfinite(loss.item()))
        log.write(json.dumps({"step": step, "epoch": epoch, "loss": loss.item(), "lr": cfg.lr}) + "\n")
    with torch.no_grad():
        out = model(Xva).float(); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    log.write(json.dumps({"step": step, "epoch": epoch, "val_loss": vl, "val_acc": va}) + "\n"); log.flush()
    nonfin_w = sum(int((~torch.isfinite(p)).sum()) for p in model.parameters())
    print(f"epoch {epoch} non-finite losses {n_nan} non-finite weights {nonfin_w} scale {model.logit_scale.exp().item():.3g} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
fin = lambda v: round(v, 4) if math.isfinite(v) else str(v)
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr).float(), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(va, 4), "train_loss": fin(trl), "chance_acc": 0.1, "nonfinite_weights": nonfin_w}))
