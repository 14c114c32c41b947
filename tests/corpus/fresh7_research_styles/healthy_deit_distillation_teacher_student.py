# expect:
# allow:
# forbid: *
# evidence: teacher (3x256 MLP) val_acc 0.960; distilled student (3x96) val_acc 0.972, val_loss 0.129 (chance 0.10); student val loss falls each epoch
"""DeiT-style hard/soft distillation, scaled down: a wide MLP teacher is trained first (phase 1),
frozen, then a narrow student is trained with DistillationLoss = (1-alpha)*CE(student, y) +
alpha*T^2*KL(student/T || teacher/T), as in DeiT's losses.py. Synthetic 10-class "spiral arms" data
in 8-D (2 informative + 6 noise dims, standardised). Healthy: the student approaches the teacher.
"""
import json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class DistillationLoss(nn.Module):
    def __init__(self, base_criterion, teacher, alpha=0.5, tau=2.0):
        super().__init__()
        self.base_criterion = base_criterion; self.teacher = teacher; self.alpha = alpha; self.tau = tau

    def forward(self, inputs, outputs, labels):
        base_loss = self.base_criterion(outputs, labels)
        with torch.no_grad():
            teacher_outputs = self.teacher(inputs)
        T = self.tau
        distillation_loss = F.kl_div(F.log_softmax(outputs / T, dim=1), F.log_softmax(teacher_outputs / T, dim=1),
                                     reduction="batchmean", log_target=True) * (T * T)
        return base_loss * (1 - self.alpha) + distillation_loss * self.alpha


def spirals(n, g, k=10):
    y = torch.randint(0, k, (n,), generator=g)
    r = torch.rand(n, generator=g) * 2.5 + 0.3
    th = y.float() * 2 * math.pi / k + r * 1.2 + 0.12 * torch.randn(n, generator=g)
    x = torch.cat([torch.stack([r * th.cos(), r * th.sin()], 1), 0.5 * torch.randn(n, 6, generator=g)], 1)
    return x, y


def mlp(width, depth):
    layers, d = [], 8
    for _ in range(depth):
        layers += [nn.Linear(d, width), nn.ReLU()]; d = width
    return nn.Sequential(*layers, nn.Linear(d, 10))


def run_epochs(model, opt, xtr, ytr, epochs, loss_fn, g, tag, xva, yva, bs=64):
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs * (len(xtr) // bs))
    for ep in range(epochs):
        model.train(); perm = torch.randperm(len(xtr), generator=g); tot = 0.0; nb = len(xtr) // bs
        for i in range(nb):
            idx = perm[i * bs:(i + 1) * bs]
            loss = loss_fn(xtr[idx], model(xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); sched.step(); tot += loss.item()
        model.eval()
        with torch.no_grad():
            out = model(xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        print(f"[{tag}] Epoch: [{ep}]  loss: {tot / nb:.4f}  val_loss: {vl:.4f}  Acc@1 {va * 100:.2f}")
    return vl, va, tot / nb


def main():
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    xtr, ytr = spirals(3000, g); xva, yva = spirals(1000, g)
    mu, sd = xtr.mean(0), xtr.std(0); xtr = (xtr - mu) / sd; xva = (xva - mu) / sd
    teacher = mlp(256, 3)
    opt = torch.optim.AdamW(teacher.parameters(), lr=3e-3, weight_decay=1e-4)
    _, t_acc, _ = run_epochs(teacher, opt, xtr, ytr, 10, lambda x, o, y: F.cross_entropy(o, y), g, "teacher", xva, yva)
    teacher.eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    student = mlp(96, 3)
    crit = DistillationLoss(nn.CrossEntropyLoss(label_smoothing=0.0), teacher, alpha=0.5, tau=2.0)
    opt = torch.optim.AdamW(student.parameters(), lr=5e-3, weight_decay=1e-4)
    vl, va, tl = run_epochs(student, opt, xtr, ytr, 14, crit, g, "student", xva, yva)
    print(f"teacher Acc@1 {t_acc * 100:.2f}  student Acc@1 {va * 100:.2f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "teacher_val_acc": round(t_acc, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
