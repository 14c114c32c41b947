# expect:
# allow:
# forbid: *
# evidence: early-stopped CORAL model: val exact acc 0.71, MAE 0.30 grades over 5 ordered grades (majority class 0.256); val BCE 0.167 vs train 0.131
"""
Ordinal regression (e.g. a 1-5 "severity" grade) with a CORAL-style head:
a shared scalar score f(x) and K-1 learned, ordered thresholds; loss = sum of binary
BCE-with-logits on the K-1 "y > k" tasks. Evaluated by exact accuracy and MAE in grade units.
"""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11)
torch.set_num_threads(1)
K = 5


def synth(n):
    x = torch.randn(n, 16)
    latent = 1.2 * x[:, 0] - 0.8 * x[:, 1] + 0.6 * torch.sin(2 * x[:, 2]) + 0.5 * x[:, 3] * x[:, 4]
    latent = latent + 0.35 * torch.randn(n)
    cuts = torch.tensor([-1.5, -0.5, 0.5, 1.5])
    y = (latent.unsqueeze(1) > cuts).sum(1)  # 0..4
    return x, y


class CoralNet(nn.Module):
    def __init__(self, d, k):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU())
        self.score = nn.Linear(64, 1, bias=False)
        self.first = nn.Parameter(torch.tensor([-1.0]))
        self.gaps = nn.Parameter(torch.zeros(k - 2))  # softplus gaps keep thresholds ordered

    def thresholds(self):
        return torch.cat([self.first, self.first + torch.cumsum(F.softplus(self.gaps) + 1e-3, 0)])

    def forward(self, x):
        return self.score(self.body(x)) - self.thresholds()  # (n, K-1) logits for P(y > k)


def coral_loss(logits, y):
    levels = (y.unsqueeze(1) > torch.arange(K - 1)).float()
    return F.binary_cross_entropy_with_logits(logits, levels)


def predict(logits):
    return (logits > 0).sum(1)


xtr, ytr = synth(2500)
xva, yva = synth(800)
print("grade counts (train):", torch.bincount(ytr, minlength=K).tolist())
model = CoralNet(16, K)
opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
best = (1e9, None)
patience, bad = 6, 0
for epoch in range(60):
    model.train()
    for xb, yb in zip(xtr.split(64), ytr.split(64)):
        loss = coral_loss(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        tr_loss = coral_loss(model(xtr), ytr).item()
        vlog = model(xva)
        va_loss = coral_loss(vlog, yva).item()
        pred = predict(vlog)
        acc = (pred == yva).float().mean().item()
        mae = (pred - yva).abs().float().mean().item()
    print(f"[{epoch:02d}] train {tr_loss:.4f} | val {va_loss:.4f} acc {acc:.3f} mae {mae:.3f}")
    if va_loss < best[0] - 1e-4:
        best, bad = (va_loss, {k: v.clone() for k, v in model.state_dict().items()}), 0
    else:
        bad += 1
        if bad >= patience:
            print("early stopping")
            break

model.load_state_dict(best[1])
with torch.no_grad():
    vlog = model(xva)
    pred = predict(vlog)
    out = {"val_loss": round(coral_loss(vlog, yva).item(), 4), "train_loss": round(coral_loss(model(xtr), ytr).item(), 4),
           "val_acc": round((pred == yva).float().mean().item(), 4),
           "val_mae": round((pred - yva).abs().float().mean().item(), 4),
           "chance_acc": round(torch.bincount(ytr).max().item() / len(ytr), 4),
           "thresholds": [round(t, 2) for t in model.thresholds().tolist()]}
print("CORPUS_METRIC " + json.dumps(out))
