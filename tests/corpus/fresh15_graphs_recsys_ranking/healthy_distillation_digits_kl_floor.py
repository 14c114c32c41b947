# expect:
# allow:
# forbid: *
# evidence: teacher val_acc 0.974; distilled 16-unit student val_acc 0.193 -> 0.962 (chance 0.1), val CE 0.176; KD train loss flattens at 0.157 (never ~0, by design: T^2-scaled KL to the softened teacher + CE)
"""Knowledge distillation in one script: a wide teacher MLP is trained on digits first, then a
small student (16 hidden units) is trained on 0.7 * T^2 * KL(teacher_T || student_T) + 0.3 * CE with
T = 4. The distillation loss stays well above zero by design (the student can't match the teacher's
softened distribution exactly); student val accuracy is close to the teacher's."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)

X, y = load_digits(return_X_y=True)
X = torch.tensor((X - X.mean(0)) / (X.std(0) + 1e-6), dtype=torch.float32); y = torch.tensor(y)
perm = torch.randperm(len(X)); tr, va = perm[:1300], perm[1300:]

def fit(model, loss_fn, epochs, lr):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * ((len(tr) + 63) // 64))
    for ep in range(epochs):
        model.train(); idx = tr[torch.randperm(len(tr))]; tl = []
        for b in idx.split(64):
            loss = loss_fn(model, b); opt.zero_grad(); loss.backward(); opt.step(); sched.step(); tl.append(loss.item())
        model.eval()
        with torch.no_grad():
            lv = model(X[va]); vl = F.cross_entropy(lv, y[va]).item(); acc = (lv.argmax(1) == y[va]).float().mean().item()
        if ep % 5 == 0 or ep == epochs - 1:
            print(f"  epoch {ep} train_loss {np.mean(tl):.4f} val_ce {vl:.4f} val_acc {acc:.4f}")
    return float(np.mean(tl)), vl, acc

teacher = nn.Sequential(nn.Linear(64, 512), nn.ReLU(), nn.Dropout(0.3), nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.3), nn.Linear(512, 10))
print("teacher:")
_, t_vl, t_acc = fit(teacher, lambda m, b: F.cross_entropy(m(X[b]), y[b]), 10, 2e-3)
teacher.eval()
with torch.no_grad(): t_logits = teacher(X)

T, ALPHA = 4.0, 0.7
def kd_loss(m, b):
    s = m(X[b])
    kl = F.kl_div(F.log_softmax(s / T, 1), F.log_softmax(t_logits[b] / T, 1), log_target=True, reduction="batchmean") * T * T
    return ALPHA * kl + (1 - ALPHA) * F.cross_entropy(s, y[b])
student = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10))
print("student (distilled):")
s_tl, s_vl, s_acc = fit(student, kd_loss, 20, 1e-2)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(s_vl, 4), "val_acc": round(s_acc, 4), "train_loss": round(s_tl, 4),
      "teacher_val_acc": round(t_acc, 4), "chance_acc": 0.1}))
