# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted (z*T, T=8, teacher logits up to 15.9 -> exp overflow): train loss NaN on every batch from epoch 1, student weights non-finite, val_acc 0.10; control (z/T): no non-finite batches, val_acc 0.946, val_loss 0.19
# control: --control
# native-log: kd_epochs.csv
# log-expect: non_finite
# log-allow: non_convergence
"""PLANTED non_finite: hand-written distillation soft targets multiply the teacher logits by the
temperature (z*T with T=8) instead of dividing, and the softmax is computed by hand with
exp()/sum(): exp overflows to inf, inf/inf gives NaN targets, and the student loss and weights
become NaN. --control divides by T (the only change). A CNN teacher is trained first."""
import os, sys, csv, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(7); np.random.seed(7); random.seed(7)
CONTROL = "--control" in sys.argv
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=7, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

teacher = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(teacher.parameters(), lr=2e-3)
for ep in range(10):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = F.cross_entropy(teacher(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
teacher.eval()
with torch.no_grad():
    t_logits = teacher(Xtr); tva = (teacher(Xva).argmax(1) == yva).float().mean().item()
print(f"teacher val_acc {tva:.4f}, max |teacher logit| {t_logits.abs().max():.1f}")

T, A = 8.0, 0.8
def soft_targets(z):
    z = z / T if CONTROL else z * T            # planted: temperature applied the wrong way
    e = torch.exp(z)
    return e / e.sum(1, keepdim=True)

student = nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(student.parameters(), lr=2e-3)
f = open(os.path.join(log_dir, "kd_epochs.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
for ep in range(20):
    student.train(); perm = torch.randperm(len(Xtr)); tot = 0.0; nan_batches = 0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; s = student(Xtr[idx])
        pt = soft_targets(t_logits[idx])
        kl = (pt * (torch.log(pt) - F.log_softmax(s / T, 1))).sum(1).mean() * T * T
        loss = A * kl + (1 - A) * F.cross_entropy(s, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx); nan_batches += int(not torch.isfinite(loss))
    student.eval()
    with torch.no_grad():
        o = student(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    w.writerow([ep + 1, f"{tot/len(Xtr):.4f}", f"{vl:.4f}", f"{va:.4f}"]); f.flush()
    print(f"epoch {ep+1} train_loss {tot/len(Xtr):.4f} non-finite batches {nan_batches} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
finite_w = all(torch.isfinite(p).all().item() for p in student.parameters())
print(f"student weights finite: {finite_w}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl if np.isfinite(vl) else str(vl), "val_acc": round(va, 4), "train_loss": tot / len(Xtr) if np.isfinite(tot) else str(tot / len(Xtr)),
                                     "weights_finite": finite_w, "teacher_val_acc": round(tva, 4), "chance_acc": 0.1}))
