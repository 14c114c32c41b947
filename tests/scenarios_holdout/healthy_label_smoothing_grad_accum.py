"""Healthy (held-out): CrossEntropyLoss(label_smoothing=0.1), gradient accumulation over 4
micro-batches (loss / 4, step every 4th), a dropout MLP, StepLR, validation with accuracy."""
# expect:
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(505)
centers = 0.8 * torch.randn(5, 16)
y = torch.randint(0, 5, (3000,))
x = centers[y] + torch.randn(3000, 16) * 1.2
xtr, ytr, xva, yva = x[:2500], y[:2500], x[2500:], y[2500:]
model = nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Dropout(0.2),
                      nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 5))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
accum = 4
for epoch in range(7):
    model.train()
    perm = torch.randperm(len(xtr))
    opt.zero_grad()
    for k, i in enumerate(range(0, len(xtr), 16)):
        idx = perm[i:i + 16]
        loss = crit(model(xtr[idx]), ytr[idx]) / accum
        loss.backward()
        if (k + 1) % accum == 0:
            opt.step()
            opt.zero_grad()
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vloss = crit(out, yva)
        acc = (out.argmax(1) == yva).float().mean()
    print(f"epoch {epoch} val {vloss.item():.3f} acc {acc:.3f}")
