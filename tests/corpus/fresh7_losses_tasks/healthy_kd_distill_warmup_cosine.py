# expect:
# allow:
# forbid: *
# evidence: student val accuracy 0.683 on sampled labels vs teacher (Bayes-rate reference) 0.757, chance 0.10; argmax agreement with the teacher 0.78; val KD loss 2.45 -> 0.626 and flat at the end, train 0.556
"""Healthy: knowledge distillation (KL at temperature 4 + hard-label CE) into a small student.

The "teacher" is a wide fixed network whose softened predictions define the task (10 classes,
32-d inputs); hard labels are sampled from the teacher's distribution.  Student MLP 32-64-10.
Loss = 0.7 * T^2 * KL(teacher_T || student_T) + 0.3 * CE(hard labels), T = 4.
AdamW lr=3e-3, linear warm-up (1 epoch) then cosine to 0, 20 epochs, batch 128.
Metrics: held-out agreement with the teacher's argmax, accuracy on the sampled hard labels
(the teacher itself scores ~the Bayes rate), and held-out KL to the teacher.
"""
import json, math
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
C, D, T = 10, 32, 4.0
teacher = nn.Sequential(nn.Linear(D, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, C))
with torch.no_grad():
    for p in teacher.parameters(): p.mul_(1.6)
teacher.requires_grad_(False)
with torch.no_grad(): TSCALE = float(teacher(torch.randn(4000, D)).std())

def make(n, g):
    x = torch.randn(n, D, generator=g)
    with torch.no_grad(): tl = teacher(x); tl = 4.0 * (tl - tl.mean(1, keepdim=True)) / TSCALE
    y = torch.multinomial(F.softmax(tl, 1), 1, generator=g).squeeze(1)
    return x, tl, y

g = torch.Generator().manual_seed(1)
xtr, ttr, ytr = make(8000, g); xva, tva, yva = make(2000, g)
student = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, C))
EPOCHS, B = 20, 128; spe = math.ceil(len(xtr) / B); total = EPOCHS * spe
opt = torch.optim.AdamW(student.parameters(), lr=3e-3, weight_decay=1e-2)
sch = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / spe if s < spe else 0.5 * (1 + math.cos(math.pi * (s - spe) / (total - spe))))

def kd_loss(s_logits, t_logits, y):
    kl = F.kl_div(F.log_softmax(s_logits / T, 1), F.log_softmax(t_logits / T, 1), log_target=True, reduction="batchmean")
    return 0.7 * T * T * kl + 0.3 * F.cross_entropy(s_logits, y)

for ep in range(EPOCHS):
    perm = torch.randperm(len(xtr)); tot = 0.0
    for i in range(spe):
        b = perm[i * B:(i + 1) * B]; loss = kd_loss(student(xtr[b]), ttr[b], ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); sch.step(); tot += loss.item()
    with torch.no_grad():
        sv = student(xva); vl = float(kd_loss(sv, tva, yva)); agree = float((sv.argmax(1) == tva.argmax(1)).float().mean())
        acc = float((sv.argmax(1) == yva).float().mean()); kl1 = float(F.kl_div(F.log_softmax(sv, 1), F.log_softmax(tva, 1), log_target=True, reduction="batchmean"))
    print(f"epoch {ep+1} kd_loss {tot/spe:.4f} val_kd_loss {vl:.4f} val_teacher_agree {agree:.3f} val_acc {acc:.3f} val_KL_T1 {kl1:.3f}")
with torch.no_grad(): st = student(xtr); tl = float(kd_loss(st, ttr, ytr)); tacc = float((st.argmax(1) == ytr).float().mean())
teacher_acc = float((tva.argmax(1) == yva).float().mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_teacher_agreement": round(agree, 4), "val_kl_to_teacher": round(kl1, 4), "train_loss": round(tl, 4), "train_acc": round(tacc, 4), "teacher_acc": round(teacher_acc, 4), "chance_acc": 0.1}))
