"""Knowledge distillation on sklearn digits: big teacher -> small student, T=4.

Look-alike: the distillation term KL(p_teacher^T || p_student^T) is tiny in
absolute value (~0.004 per sample before the T^2 factor) and moves on a very
different scale from the cross-entropy, so train 'loss' and val CE are not comparable. The student's held-out accuracy is what matters.
"""
# expect:
# allow:
# forbid: *
# evidence: student val_acc 0.969 (chance 0.10), val CE 0.119; teacher val_acc 0.974; raw KL term per sample falls 0.129 -> 0.0039 (tiny), total distillation loss 0.063
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
random.seed(7)
np.random.seed(7)
torch.manual_seed(7)

T = 4.0
ALPHA = 0.7  # weight of the distillation term


def batches(n, bs):
    perm = torch.randperm(n)
    for i in range(0, n, bs):
        yield perm[i:i + bs]


def evaluate(model, X, y):
    model.eval()
    with torch.no_grad():
        out = model(X)
        return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    X, y = load_digits(return_X_y=True)
    X = X / 8.0 - 1.0
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=7, stratify=y)
    Xtr = torch.tensor(Xtr, dtype=torch.float32)
    Xva = torch.tensor(Xva, dtype=torch.float32)
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)

    teacher = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = torch.optim.Adam(teacher.parameters(), lr=1e-3)
    for ep in range(12):
        teacher.train()
        for idx in batches(len(Xtr), 64):
            loss = F.cross_entropy(teacher(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    t_loss, t_acc = evaluate(teacher, Xva, yva)
    print(f"teacher val_loss {t_loss:.4f} val_acc {t_acc:.4f}")
    teacher.eval()
    with torch.no_grad():
        soft = F.softmax(teacher(Xtr) / T, dim=1)

    student = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.Adam(student.parameters(), lr=3e-3)
    for ep in range(30):
        student.train()
        tot, kl_tot, n = 0.0, 0.0, 0
        for idx in batches(len(Xtr), 64):
            out = student(Xtr[idx])
            kl = F.kl_div(F.log_softmax(out / T, dim=1), soft[idx], reduction="batchmean")
            ce = F.cross_entropy(out, ytr[idx])
            loss = ALPHA * T * T * kl + (1 - ALPHA) * ce
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            kl_tot += kl.item() * len(idx)
            n += len(idx)
        vl, va = evaluate(student, Xva, yva)
        if ep % 5 == 4:
            print(f"student epoch {ep} distill_loss {tot / n:.4f} raw_kl {kl_tot / n:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / n, 4),
                                        "raw_kl": round(kl_tot / n, 4), "teacher_val_acc": round(t_acc, 4),
                                        "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
