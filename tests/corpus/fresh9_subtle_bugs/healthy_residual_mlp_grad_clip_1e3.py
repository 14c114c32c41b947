# expect:
# allow:
# forbid: *
# evidence: clip never triggers (0 clipped steps, max grad norm 4.6); val_acc 0.912 (majority 0.214), val_loss 0.236, train_loss 0.080
# Pre-norm residual MLP (8 blocks), AdamW + cosine, with clip_grad_norm_(max_norm=1e3). The clip threshold
# is far above the real gradient norm (max 4.6 over the run), so it never triggers: harmless, just useless.
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(4)
torch.set_num_threads(1)


class PreNormBlock(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.ff = nn.Sequential(nn.Linear(w, 2 * w), nn.GELU(), nn.Linear(2 * w, w))

    def forward(self, x):
        return x + self.ff(self.norm(x))


net = nn.Sequential(nn.Linear(20, 64), *[PreNormBlock(64) for _ in range(8)], nn.LayerNorm(64), nn.Linear(64, 6))

gen = torch.Generator().manual_seed(4)
X = torch.randn(4500, 20, generator=gen)
proj = torch.randn(20, 6, generator=gen)
Y = (X @ proj + 0.5 * torch.sin(3 * X[:, :6])).argmax(1)
train_X, train_Y, val_X, val_Y = X[:3500], Y[:3500], X[3500:], Y[3500:]

opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8 * 50)
clipped_steps, norms = 0, []
for epoch in range(8):
    net.train()
    order = torch.randperm(3500)
    epoch_loss = 0.0
    for j in range(0, 3500, 70):
        b = order[j:j + 70]
        loss = F.cross_entropy(net(train_X[b]), train_Y[b])
        opt.zero_grad()
        loss.backward()
        total_norm = torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1e3)
        norms.append(total_norm.item()); clipped_steps += int(total_norm > 1e3)
        opt.step()
        sched.step()
        epoch_loss += loss.item() / 50
    net.eval()
    with torch.no_grad():
        logits = net(val_X)
        val_loss = F.cross_entropy(logits, val_Y).item()
        val_acc = (logits.argmax(-1) == val_Y).float().mean().item()
    print(f"epoch {epoch} train_loss {epoch_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f} grad_norm(max this run) {max(norms):.2f} clipped_steps {clipped_steps}")

print("CORPUS_METRIC " + json.dumps({"val_loss": val_loss, "val_acc": val_acc, "train_loss": epoch_loss, "chance_acc": torch.bincount(val_Y).max().item() / len(val_Y)}))
