# expect:
# allow:
# forbid: *
# evidence: MLP pre-trained (not logged) on a 10-way cluster task, new head, then fine-tuned on 500 samples of a 5-way super-class task with body lr 1e-4 / head lr 1e-3, 15 epochs: target val_acc 0.91 vs ceiling ~0.93 (pre-trained 10-way predictions mapped to super-classes), from-scratch on the same 500 samples 0.89; val_loss still falling at the end (chance 0.2)
# native-log: finetune.jsonl
# log-expect:
# log-allow:
"""Low-lr fine-tuning; logs nested JSON lines {"epoch", "train": {"loss"}, "val": {"loss", "acc"}, "lr"}."""
import json, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
FT_LR = 1e-4
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

g = torch.Generator().manual_seed(13)
K, D = 10, 24
centers = 0.7 * torch.randn(K, D, generator=g)
SUPER = torch.tensor([0, 1, 2, 3, 4, 2, 0, 4, 1, 3])   # target task: 5 super-classes of the 10 source clusters
def make(n):
    y = torch.randint(0, K, (n,), generator=g)
    return centers[y] + torch.randn(n, D, generator=g), y
xs, ys = make(6000)
xt, yt = make(500); yt = SUPER[yt]
xv, yv = make(1000); yv = SUPER[yv]

def new_model(k):
    return nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, k))

def fit(model, x, y, lr, epochs, log=None, head_lr=None):
    if head_lr is None:
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    else:   # discriminative fine-tuning: small lr for the pre-trained body, larger for the new head
        opt = torch.optim.Adam([{"params": model[:-1].parameters(), "lr": lr, "head_lr": head_lr}, {"params": model[-1].parameters(), "lr": head_lr}])
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(x))
        tl, n = 0.0, 0
        for i in range(0, len(x), 50):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad(); loss.backward(); opt.step()
            tl += loss.item() * len(idx); n += len(idx)
        if log is not None:
            vl, va = evaluate(model)
            rec = {"epoch": epoch, "train": {"loss": round(tl / n, 5)}, "val": {"loss": round(vl, 5), "acc": round(va, 4)}, "lr": lr, "head_lr": head_lr}
            log.write(json.dumps(rec) + "\n"); log.flush()
            print(rec)
    return tl / n

def evaluate(model):
    model.eval()
    with torch.no_grad():
        out = model(xv)
        return F.cross_entropy(out, yv).item(), (out.argmax(1) == yv).float().mean().item()

model = new_model(K)
fit(model, xs, ys, 1e-3, 6)                      # pre-training on the 10-way source task (not logged)
with torch.no_grad():
    xsv, ysv = make(1000)
    src_acc = (model(xsv).argmax(1) == ysv).float().mean().item()
    sup_acc = (SUPER[model(xsv).argmax(1)] == SUPER[ysv]).float().mean().item()
print(f"probe: pre-trained model, source 10-way val_acc {src_acc:.3f}; its 10-way prediction mapped to super-classes {sup_acc:.3f} (a ceiling for the target task)")
model[-1] = nn.Linear(128, 5)                    # new head for the 5-way target task
with open(os.path.join(LOG_DIR, "finetune.jsonl"), "w") as log:
    tl = fit(model, xt, yt, FT_LR, 15, log, head_lr=1e-3)
vl, va = evaluate(model)
scratch = new_model(5)
fit(scratch, xt, yt, 1e-3, 15)
_, va_scratch = evaluate(scratch)
print(f"probe: same 500 target samples, from scratch (lr 1e-3): val_acc {va_scratch:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "val_acc_from_scratch": round(va_scratch, 4), "chance_acc": 0.2}))
