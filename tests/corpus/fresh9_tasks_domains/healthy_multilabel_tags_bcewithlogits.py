# expect:
# allow:
# forbid: *
# evidence: held-out micro-F1 0.865, per-label acc 0.90 (majority-per-tag 0.63); val BCE 0.263 still flat-to-falling at the end, train 0.144 (eval mode)
# Multi-label tagging: 40-d features -> 8 independent tags, MLP + BCEWithLogitsLoss with pos_weight,
# cosine LR schedule, dropout. Evaluated with micro-F1 and exact-match accuracy on a held-out split.
import json
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Cfg:
    n_train: int = 3000
    n_val: int = 1000
    d_in: int = 40
    n_tags: int = 8
    hidden: int = 128
    lr: float = 3e-3
    epochs: int = 30
    batch: int = 64
    seed: int = 7


cfg = Cfg()
torch.manual_seed(cfg.seed)
torch.set_num_threads(1)


def make_data(n, W1, W2):
    x = torch.randn(n, cfg.d_in)
    h = torch.tanh(x @ W1)
    logits = h @ W2 - 1.0  # tags are somewhat sparse (~30% positive)
    y = (torch.rand(n, cfg.n_tags) < torch.sigmoid(3 * logits)).float()
    return x, y


W1 = torch.randn(cfg.d_in, 24) / math.sqrt(cfg.d_in)
W2 = torch.randn(24, cfg.n_tags) * 0.9
xtr, ytr = make_data(cfg.n_train, W1, W2)
xva, yva = make_data(cfg.n_val, W1, W2)
print("tag positive rate", [round(v, 2) for v in ytr.mean(0).tolist()])

model = nn.Sequential(
    nn.Linear(cfg.d_in, cfg.hidden), nn.ReLU(), nn.Dropout(0.2),
    nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU(), nn.Dropout(0.2),
    nn.Linear(cfg.hidden, cfg.n_tags),
)
pos = ytr.mean(0).clamp(0.05, 0.95)
criterion = nn.BCEWithLogitsLoss(pos_weight=((1 - pos) / pos).sqrt())
opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=1e-2)
steps_per_epoch = math.ceil(cfg.n_train / cfg.batch)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg.epochs * steps_per_epoch)


def micro_f1(logits, y, thr=0.0):
    pred = (logits > thr).float()
    tp = (pred * y).sum()
    fp = (pred * (1 - y)).sum()
    fn = ((1 - pred) * y).sum()
    return (2 * tp / (2 * tp + fp + fn)).item()


for epoch in range(cfg.epochs):
    model.train()
    perm = torch.randperm(cfg.n_train)
    losses = []
    for i in range(0, cfg.n_train, cfg.batch):
        idx = perm[i:i + cfg.batch]
        loss = criterion(model(xtr[idx]), ytr[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        vlog = model(xva)
        vloss = criterion(vlog, yva).item()
        f1 = micro_f1(vlog, yva)
    if epoch % 5 == 0 or epoch == cfg.epochs - 1:
        print(f"epoch {epoch:02d} train {sum(losses)/len(losses):.4f} val {vloss:.4f} microF1 {f1:.3f}")

with torch.no_grad():
    tr_loss = criterion(model(xtr), ytr).item()
    exact = ((vlog > 0).float() == yva).all(1).float().mean().item()
    per_label_acc = ((vlog > 0).float() == yva).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "train_loss": round(tr_loss, 4),
                                      "val_micro_f1": round(f1, 4), "val_label_acc": round(per_label_acc, 4),
                                      "val_exact_match": round(exact, 4),
                                      "chance_label_acc": round(float(torch.maximum(pos, 1 - pos).mean()), 4)}))
