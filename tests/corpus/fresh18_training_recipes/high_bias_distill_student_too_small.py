# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted 2-unit student: train_acc 0.42, val_acc 0.42, KD train loss 9.04 after 25 epochs (teacher val_acc 0.98 shows the task is learnable); control 32-unit student: train_acc 0.995, val_acc 0.974
# control: --control
# native-log: student_log.jsonl
# log-expect:
# log-allow: high_bias, non_convergence
"""PLANTED high_bias: the distilled student is far too small (a 2-unit hidden layer) to fit even
the training digits. --control gives the student 32 hidden units (the only change).
Knowledge distillation on digits: a 256-256 MLP teacher is trained first, then the student learns from 0.7*T^2*KL(student/T || teacher/T) + 0.3*CE with T=4.
Student epochs logged as JSON lines."""
import os, sys, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(6); np.random.seed(6); random.seed(6)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=6, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

def acc(m, X, y):
    m.eval()
    with torch.no_grad(): o = m(X)
    return F.cross_entropy(o, y).item(), (o.argmax(1) == y).float().mean().item()

teacher = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.Adam(teacher.parameters(), lr=1e-3)
for ep in range(15):
    teacher.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = F.cross_entropy(teacher(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
tl_, ta = acc(teacher, Xva, yva); print(f"teacher val_loss {tl_:.4f} val_acc {ta:.4f}")
teacher.eval()
with torch.no_grad(): t_logits = teacher(Xtr)

T, A = 4.0, 0.7
H = 32 if "--control" in sys.argv else 2
print(f"student hidden width {H}")
student = nn.Sequential(nn.Linear(64, H), nn.ReLU(), nn.Linear(H, 10))
opt = torch.optim.Adam(student.parameters(), lr=3e-3)
logf = open(os.path.join(log_dir, "student_log.jsonl"), "w")
for ep in range(25):
    student.train(); perm = torch.randperm(len(Xtr)); tot = kd = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; s = student(Xtr[idx])
        kl = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t_logits[idx] / T, 1), reduction="batchmean") * T * T
        loss = A * kl + (1 - A) * F.cross_entropy(s, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx); kd += kl.item() * len(idx)
    vl, va = acc(student, Xva, yva); _, tra = acc(student, Xtr, ytr)
    rec = {"epoch": ep + 1, "train_loss": round(tot / len(Xtr), 4), "train_kd": round(kd / len(Xtr), 4), "train_acc": round(tra, 4),
           "val_loss": round(vl, 4), "val_acc": round(va, 4)}
    logf.write(json.dumps(rec) + "\n"); logf.flush()
    if (ep + 1) % 3 == 0: print(rec)
logf.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "train_acc": round(tra, 4),
                                     "teacher_val_acc": round(ta, 4), "chance_acc": 0.1}))
