"""MLP on digits. Train and val come from 'scanner A'; the test set comes from 'scanner B',
which places digits 1 pixel further right and adds sensor noise (a test split drawn
differently). The JSON-lines log is the kind a custom Trainer writes: a config record first,
then per-epoch records mixed with {"event": "checkpoint saved"} lines, {"_runtime", "_timestamp",
"system/cpu"} lines and a learning-rate-scheduler event; test metrics are evaluated each epoch."""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: planted: val_acc 0.98, val_loss 0.105 but test_acc 0.45, test_loss 1.93 (scanner B: shift 1 px + noise sd 2); control (test drawn like val): test_acc 0.97, test_loss 0.114
# control: --control
# native-log: trainer_log.jsonl
# log-expect: data_mismatch
# log-allow:
import os, sys, json, random, tempfile, time
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = load_digits(return_X_y=True)
Xtr, Xrest, ytr, yrest = train_test_split(X, y, test_size=0.4, random_state=0, stratify=y)
Xva, Xte, yva, yte = train_test_split(Xrest, yrest, test_size=0.5, random_state=0, stratify=yrest)
if not CONTROL:   # scanner B
    Xte = np.roll(Xte.reshape(-1, 8, 8), 1, axis=2); Xte[:, :, :1] = 0
    Xte = np.clip(Xte.reshape(-1, 64) + np.random.default_rng(0).normal(0, 2.0, Xte.reshape(-1, 64).shape), 0, 16)
norm = lambda a: torch.tensor((a / 16.0 - 0.3) / 0.4, dtype=torch.float32)
Xtr, Xva, Xte = norm(Xtr), norm(Xva), norm(Xte)
ytr, yva, yte = torch.tensor(ytr), torch.tensor(yva), torch.tensor(yte)
model = nn.Sequential(nn.Linear(64, 96), nn.ReLU(), nn.Dropout(0.1), nn.Linear(96, 10))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, 0.9)
f = open(os.path.join(logdir, "trainer_log.jsonl"), "w")
f.write(json.dumps({"type": "config", "data": {"train": "scannerA/train", "val": "scannerA/val", "test": "scannerA/test" if CONTROL else "scannerB/test"}, "model": {"hidden": 96, "dropout": 0.1}, "optim": {"name": "adam", "lr": 2e-3, "gamma": 0.9}}) + "\n")
t0 = time.time()
def ev(Xs, ys):
    with torch.no_grad():
        o = model(Xs); return nn.functional.cross_entropy(o, ys).item(), (o.argmax(1) == ys).float().mean().item()
for ep in range(15):
    model.train(); perm = torch.randperm(len(Xtr)); tot = n = 0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx); n += len(idx)
    sched.step(); model.eval()
    vl, va = ev(Xva, yva); tel, tea = ev(Xte, yte)
    f.write(json.dumps({"epoch": ep + 1, "train_loss": round(tot / n, 5), "val_loss": round(vl, 5), "val_acc": round(va, 4), "test_loss": round(tel, 5), "test_acc": round(tea, 4)}) + "\n")
    if ep % 3 == 2:
        f.write(json.dumps({"_runtime": round(time.time() - t0, 2), "_timestamp": 1760000000 + ep * 7, "system/cpu": 99.1, "system/memory": 31.4}) + "\n")
    if ep % 5 == 4:
        f.write(json.dumps({"event": "checkpoint saved", "epoch": ep + 1, "path": f"checkpoints/ep{ep+1}.pt"}) + "\n")
        f.write(json.dumps({"event": "lr_scheduler", "lr": opt.param_groups[0]["lr"]}) + "\n")
f.write(json.dumps({"event": "training finished", "best_val_acc": va}) + "\n"); f.close()
tl = tot / n
print(f"control={CONTROL} train_loss {tl:.4f} val_acc {va:.4f} test_acc {tea:.4f} val_loss {vl:.4f} test_loss {tel:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "test_loss": round(tel, 4), "test_acc": round(tea, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
