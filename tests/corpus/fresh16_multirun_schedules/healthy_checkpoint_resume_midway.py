# expect:
# allow:
# forbid: *
# evidence: val_acc 0.980, val_loss 0.074 at epoch 11 (chance 0.10); resume at epoch 6 continues seamlessly (val_loss 0.075 before/after); the warm restart at epoch 8 (lr 0.007 -> 0.05) bumps train_loss 0.033 -> 0.342 and val_acc to 0.887 for one epoch, then it recovers
# native-log: resume_log.jsonl
# log-expect:
# log-allow:
"""A run that is "interrupted" and resumed inside one script: train a small CNN on 8x8 digits
for 6 epochs with SGD+momentum and a cosine-with-warm-restarts schedule, save a checkpoint
(model, optimizer, scheduler, epoch, RNG state) to a temp dir, throw everything away, build
fresh objects, load the checkpoint and continue to epoch 12. The log continues seamlessly;
the lr restarts at epoch 4 and 8 (T_0=4) give small bumps in the loss."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
CKPT = os.path.join(tempfile.mkdtemp(), "ckpt.pt")

X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype(np.float32).reshape(-1, 1, 8, 8)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=4, stratify=y)
Xtr, Xva, ytr, yva = map(torch.tensor, (Xtr, Xva, ytr, yva))
lossf = nn.CrossEntropyLoss()

def build():
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(32 * 4, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4)
    return model, opt, sched

def train(model, opt, sched, start, stop, logf):
    for ep in range(start, stop):
        model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
        lr = opt.param_groups[0]["lr"]
        for i in range(0, len(Xtr), 64):
            idx = perm[i:i + 64]
            loss = lossf(model(Xtr[idx]), ytr[idx]); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
        sched.step()
        model.eval()
        with torch.no_grad():
            out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        tl = tot / len(Xtr)
        logf.write(json.dumps({"epoch": ep, "lr": lr, "train_loss": tl, "val_loss": vl, "val_acc": va}) + "\n"); logf.flush()
        print(f"epoch {ep} lr {lr:.4f} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    return tl, vl, va

with open(os.path.join(LOG_DIR, "resume_log.jsonl"), "w") as logf:
    model, opt, sched = build()
    train(model, opt, sched, 0, 6, logf)
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": 6,
                "rng": torch.get_rng_state()}, CKPT)
    print(f"checkpoint saved to {CKPT}; simulating a restart")
    del model, opt, sched
    model, opt, sched = build()
    ck = torch.load(CKPT)
    model.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"]); sched.load_state_dict(ck["sched"])
    torch.set_rng_state(ck["rng"])
    print(f"resumed from epoch {ck['epoch']}")
    tl, vl, va = train(model, opt, sched, ck["epoch"], 12, logf)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
