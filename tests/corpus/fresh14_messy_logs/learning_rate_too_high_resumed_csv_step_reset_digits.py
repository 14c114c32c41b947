"""Tanh MLP on digits with SGD+momentum at lr=0.5 (a typo for 0.05). The job crashed after
epoch 5 and was restarted from a checkpoint: the resumed process appends to the same
train_log.csv, writes the header again and its 'step' counter starts again at 0. A crash also
left the very last line of the first segment half-written. The loss jumps around and never
settles."""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite
# forbid: *
# evidence: control (lr=0.05) reaches val_acc 0.98, val_loss 0.085; planted (lr=0.5, momentum 0.9) val_acc 0.10 (chance 0.10), val_loss 132, logged batch loss jumping 2.6 -> 180 -> 21 -> 201
# control: --control
# native-log: train_log.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, exploding_gradients
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
LR = 0.05 if "--control" in sys.argv else 0.5
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
ck = os.path.join(tempfile.mkdtemp(), "last.pt")
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
def make():
    m = nn.Sequential(nn.Linear(64, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 10))
    return m, torch.optim.SGD(m.parameters(), lr=LR, momentum=0.9)
def ev(m):
    with torch.no_grad():
        o = m(Xva); return nn.functional.cross_entropy(o, yva).item(), (o.argmax(1) == yva).float().mean().item()
path = os.path.join(logdir, "train_log.csv")
def segment(m, opt, e0, e1, crash=False):
    f = open(path, "a"); f.write("step,epoch,loss,val_loss,val_acc,lr\n")
    step = 0  # bug in the resume code: step counter restarts
    for ep in range(e0, e1):
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(Xtr), 32):
            idx = perm[i:i + 32]
            loss = nn.functional.cross_entropy(m(Xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
            if step % 10 == 0:
                f.write(f"{step},{ep},{loss.item():.5f},,,{LR}\n")
        vl, va = ev(m)
        f.write(f"{step},{ep},{loss.item():.5f},{vl:.5f},{va:.4f},{LR}\n")
        torch.save({"m": m.state_dict(), "o": opt.state_dict()}, ck)
    if crash:
        f.write(f"{step+10},{e1},{loss.item():.3f},")  # killed mid-write
    f.close(); return loss.item()
m, opt = make(); segment(m, opt, 0, 6, crash=True)
m, opt = make(); s = torch.load(ck); m.load_state_dict(s["m"]); opt.load_state_dict(s["o"])
with open(path, "a") as f: f.write("\n")
tl = segment(m, opt, 6, 16)
vl, va = ev(m)
print(f"lr {LR} final train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if vl == vl else None, "val_acc": round(va, 4), "train_loss": round(tl, 4) if tl == tl else None, "chance_acc": 0.1, "lr": LR}))
