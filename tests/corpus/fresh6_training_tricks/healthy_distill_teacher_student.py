# expect:
# allow:
# forbid: *
# evidence: 8-class mixture data; wide teacher trained first (val_acc 0.993) then frozen, distilled into a 4x narrower student with KL at T=4 (alpha 0.7) + hard CE; student val_acc 0.989, val_loss 0.037 (chance 0.125)
"""Knowledge distillation: teacher trained, frozen (eval + requires_grad False), then a small student
learns from softened teacher logits and the hard labels."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
N_CLASSES, DIM = 8, 24
proto = torch.randn(N_CLASSES, 3, DIM)     # each class = mixture of 3 sub-clusters


def make(n):
    y = torch.randint(0, N_CLASSES, (n,))
    k = torch.randint(0, 3, (n,))
    x = proto[y, k] * 1.3 + torch.randn(n, DIM)
    return x, y


xtr, ytr = make(5000)
xva, yva = make(1000)


def mlp(width):
    return nn.Sequential(nn.Linear(DIM, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, N_CLASSES))


def evaluate(m):
    m.eval()
    with torch.no_grad():
        lv = m(xva)
        return F.cross_entropy(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()


teacher = mlp(256)
opt = torch.optim.Adam(teacher.parameters(), lr=1e-3)
for epoch in range(4):
    teacher.train()
    perm = torch.randperm(len(xtr))
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        loss = F.cross_entropy(teacher(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("teacher epoch", epoch, "val_loss %.4f val_acc %.3f" % evaluate(teacher))
teacher.eval()
for p in teacher.parameters():
    p.requires_grad_(False)

student = mlp(64)
T, ALPHA = 4.0, 0.7
opt = torch.optim.Adam(student.parameters(), lr=2e-3)
for epoch in range(6):
    student.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        xb = xtr[idx]
        with torch.no_grad():
            t_logits = teacher(xb)
        s_logits = student(xb)
        kd = F.kl_div(F.log_softmax(s_logits / T, 1), F.log_softmax(t_logits / T, 1), reduction="batchmean", log_target=True) * T * T
        ce = F.cross_entropy(s_logits, ytr[idx])
        loss = ALPHA * kd + (1 - ALPHA) * ce
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += ce.item() * len(idx)
    val_loss, val_acc = evaluate(student)
    train_loss = tot / len(xtr)
    print(f"student epoch {epoch} train_ce {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": 1 / N_CLASSES}))
