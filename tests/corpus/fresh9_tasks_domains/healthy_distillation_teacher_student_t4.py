# expect:
# allow:
# forbid: *
# evidence: KD student (64x2 MLP) val_acc 0.822, val CE 0.43 vs teacher (256x3) 0.913, chance 0.1; train CE 0.33
"""Knowledge distillation: a wide teacher MLP is trained first on a 10-class "spiral-blobs" task,
then a small student is trained with alpha*T^2*KL(softmax(t/T) || softmax(s/T)) + (1-alpha)*CE, T=4.
Reports student and teacher val accuracy."""
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
N_CLS = 10


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, N_CLS, (n,), generator=g)
    r = 0.5 + torch.rand(n, generator=g) * 2.5
    ang = y.float() * 2 * math.pi / N_CLS + r * 1.2 + 0.08 * torch.randn(n, generator=g)
    base = torch.stack([r * torch.cos(ang), r * torch.sin(ang)], 1)
    # 20 extra dims: noisy random projections of the 2-D point (and pure noise)
    proj = torch.randn(2, 20, generator=torch.Generator().manual_seed(99))
    x = torch.cat([base, torch.tanh(base @ proj) + 0.3 * torch.randn(n, 20, generator=g)], 1)
    return x, y


xtr, ytr = make(3000, 1)
xva, yva = make(1000, 2)


def mlp(width, depth):
    layers, d = [], 22
    for _ in range(depth):
        layers += [nn.Linear(d, width), nn.ReLU()]
        d = width
    return nn.Sequential(*layers, nn.Linear(d, N_CLS))


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def fit(model, epochs, loss_fn, lr=2e-3, tag=""):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 100):
            b = perm[i:i + 100]
            loss = loss_fn(model, xtr[b], ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        if ep % 5 == 4:
            model.eval()
            with torch.no_grad():
                vl = F.cross_entropy(model(xva), yva).item()
            print(f"{tag} ep {ep + 1} loss {loss.item():.4f} val_ce {vl:.4f} val_acc {accuracy(model, xva, yva):.3f}")
    return model


ce = lambda m, x, y: F.cross_entropy(m(x), y)
teacher = fit(mlp(256, 3), 15, ce, tag="teacher")
teacher.eval()

T, ALPHA = 4.0, 0.7


def kd_loss(student, x, y):
    s = student(x)
    with torch.no_grad():
        t = teacher(x)
    soft = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1), reduction="batchmean") * T * T
    return ALPHA * soft + (1 - ALPHA) * F.cross_entropy(s, y)


torch.manual_seed(5)
student = fit(mlp(64, 2), 20, kd_loss, lr=5e-3, tag="student(KD)")

student.eval()
with torch.no_grad():
    s_val = F.cross_entropy(student(xva), yva).item()
    s_tr = F.cross_entropy(student(xtr), ytr).item()
out = {"val_loss": round(s_val, 4), "train_loss": round(s_tr, 4), "val_acc": round(accuracy(student, xva, yva), 4),
       "teacher_val_acc": round(accuracy(teacher, xva, yva), 4),
       "chance_acc": 0.1}
print("CORPUS_METRIC " + json.dumps(out))
