# Wine classifier that checkpoints every 10 epochs; the job is "pre-empted" after epoch 20 and
# resumed from the last checkpoint in a fresh model/optimizer/scheduler (same process).
# expect:
# allow:
# forbid: *
# evidence: healthy; checkpoint at epoch 20, pre-empted at 23, resumed (epochs 20-22 repeated): val_acc 0.952 (majority 0.397), val_loss 0.095, train_loss 0.009
import os, json, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(9); np.random.seed(9)
X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.35, random_state=9, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
CKPT_DIR = tempfile.mkdtemp(prefix="ckpt_")
TOTAL_EPOCHS, PREEMPT_AT = 40, 23


def make():
    m = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 3))
    o = torch.optim.Adam(m.parameters(), lr=5e-3, weight_decay=1e-3)
    s = torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=TOTAL_EPOCHS)
    return m, o, s


def run(model, opt, sched, start, stop):
    crit = nn.CrossEntropyLoss()
    for epoch in range(start, stop):
        model.train()
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(perm), 16):
            b = perm[i:i + 16]
            loss = crit(model(Xtr[b]), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step()
        sched.step()
        model.eval()
        with torch.no_grad():
            o = model(Xva); vl = crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        print(f"epoch {epoch:2d} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
        if (epoch + 1) % 10 == 0:
            torch.save({"epoch": epoch + 1, "model": model.state_dict(), "opt": opt.state_dict(),
                        "sched": sched.state_dict(), "rng": torch.get_rng_state()}, os.path.join(CKPT_DIR, "last.pt"))
    return vl, va


model, opt, sched = make()
run(model, opt, sched, 0, PREEMPT_AT)
print("--- pre-empted, resuming from checkpoint ---")
del model, opt, sched
model, opt, sched = make()
ck = torch.load(os.path.join(CKPT_DIR, "last.pt"), weights_only=True)
model.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"]); sched.load_state_dict(ck["sched"])
torch.set_rng_state(ck["rng"])
vl, va = run(model, opt, sched, ck["epoch"], TOTAL_EPOCHS)
with torch.no_grad():
    tl = nn.functional.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(1 / 3, 4), "majority_acc": round(float(np.bincount(yva.numpy()).max() / len(yva)), 4)}))
