"""Healthy (held-out): multi-label tagging with BCEWithLogitsLoss, an MLP with LayerNorm and GELU,
AdamW, ReduceLROnPlateau on the validation loss."""
# expect:
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(404)
n, d, tags = 3000, 24, 6
x = torch.randn(n, d)
w = torch.randn(d, tags)
y = ((x @ w + 0.5 * torch.randn(n, tags)) > 0.5).float()  # each tag on ~40% of rows, several per row
xtr, ytr, xva, yva = x[:2500], y[:2500], x[2500:], y[2500:]


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(d, 96), nn.LayerNorm(96), nn.GELU(),
            nn.Linear(96, 96), nn.LayerNorm(96), nn.GELU(),
            nn.Linear(96, tags))

    def forward(self, x):
        return self.net(x)


model = Tagger()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
crit = nn.BCEWithLogitsLoss()
for epoch in range(8):
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 50):
        idx = perm[i:i + 50]
        opt.zero_grad()
        loss = crit(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        logits = model(xva)
        vloss = crit(logits, yva)
        acc = ((logits > 0).float() == yva).float().mean()
    sched.step(vloss)
    print(f"epoch {epoch} train {loss.item():.3f} val {vloss.item():.3f} per-tag acc {acc:.3f}")
