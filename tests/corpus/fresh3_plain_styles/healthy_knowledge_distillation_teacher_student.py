# expect:
# allow:
# forbid: *
# evidence: student val_acc 0.833, val_loss 0.411 = teacher val_acc 0.834 (majority 0.261); KD loss stays > 0 by design
"""Knowledge distillation in one script: a wide teacher MLP is trained first (Adam, 8 epochs),
frozen, then a 4x narrower student is trained on 0.7 * T^2 * KL(student/T || teacher/T) + 0.3 * CE
with temperature T=4. The student's total loss stays well above zero (the soft-target KL term
does not vanish) while its held-out accuracy matches the teacher's.
"""
import json

import torch
from torch import nn
from torch.nn import functional as F


def make_data(n, g, w):
    y = torch.randint(0, 4, (n,), generator=g)
    z = w[y] + torch.randn(n, 16, generator=g)
    return torch.cat([z[:, :8], torch.sin(2 * z[:, 8:])], 1), y


def train(model, xtr, ytr, epochs, loss_fn, lr):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = loss_fn(model(xtr[idx]), idx)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"{model.tag} epoch {epoch} loss {loss.item():.4f}")


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    w = torch.randn(4, 16, generator=g)
    xtr, ytr = make_data(4000, g, w)
    xva, yva = make_data(1000, g, w)
    teacher = nn.Sequential(nn.Linear(16, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 4))
    teacher.tag = "teacher"
    train(teacher, xtr, ytr, 8, lambda out, idx: F.cross_entropy(out, ytr[idx]), 1e-3)
    teacher.eval()
    with torch.no_grad():
        soft = teacher(xtr)
        t_acc = (teacher(xva).argmax(1) == yva).float().mean().item()
    student = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
    student.tag = "student"
    T = 4.0

    def kd(out, idx):
        kl = F.kl_div(F.log_softmax(out / T, 1), F.log_softmax(soft[idx] / T, 1), log_target=True,
                      reduction="batchmean")
        return 0.7 * T * T * kl + 0.3 * F.cross_entropy(out, ytr[idx])

    train(student, xtr, ytr, 10, kd, 2e-3)
    student.eval()
    with torch.no_grad():
        lv, lt = student(xva), student(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "teacher_val_acc": round(t_acc, 4),
        "chance_acc": round(torch.bincount(yva).max().item() / len(yva), 4),
    }))


if __name__ == "__main__":
    main()
