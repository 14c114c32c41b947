# expect:
# allow:
# forbid: *
# evidence: a wide teacher MLP is trained for 6 epochs, then frozen (eval, requires_grad False, no_grad forward); a 4x smaller student wrapped in torch.compile(backend="eager") learns from 0.5*CE + 0.5*T^2*KL(T=3) with NAdam and its own optimiser: teacher val_acc 0.976; student val_acc 0.964, val_loss 0.135, train (distillation) loss 5.58 -> 0.117 (chance 0.10)
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=20, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)


def evaluate(m):
    m.eval()
    with torch.no_grad():
        out = m(Xva)
    return F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()


teacher = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
t_opt = torch.optim.AdamW(teacher.parameters(), lr=1e-3, weight_decay=1e-2)
for ep in range(6):
    teacher.train()
    for xb, yb in loader:
        t_opt.zero_grad(set_to_none=True)
        F.cross_entropy(teacher(xb), yb).backward(); t_opt.step()
    print(f"teacher epoch {ep} val_loss/acc {evaluate(teacher)}")
t_vl, t_va = evaluate(teacher)
teacher.eval()
for p in teacher.parameters():
    p.requires_grad_(False)

student_net = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
student = torch.compile(student_net, backend="eager")
s_opt = torch.optim.NAdam(student_net.parameters(), lr=2e-3)
T = 3.0
for ep in range(10):
    student.train(); tot = 0.0
    for xb, yb in loader:
        with torch.no_grad():
            t_logits = teacher(xb)
        s_logits = student(xb)
        kd = F.kl_div(F.log_softmax(s_logits / T, 1), F.softmax(t_logits / T, 1), reduction="batchmean") * T * T
        loss = 0.5 * F.cross_entropy(s_logits, yb) + 0.5 * kd
        s_opt.zero_grad(set_to_none=True); loss.backward(); s_opt.step()
        tot += loss.item() * len(xb)
    vl, va = evaluate(student); tl = tot / len(Xtr)
    print(f"student epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "teacher_val_acc": round(t_va, 4)}))
