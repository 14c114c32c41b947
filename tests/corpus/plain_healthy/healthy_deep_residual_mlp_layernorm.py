# expect:
# forbid: *
# evidence: 10 pre-LN residual blocks: val_acc 0.983 (chance 0.167, balanced classes), val_loss 0.057 vs train_loss 0.008, val_loss flat-to-falling
# 10-block pre-LayerNorm residual MLP on a 6-class teacher task; AdamW, constant lr.
import json
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
D_IN, K = 24, 6


class ResBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, 2 * width)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(2 * width, width)

    def forward(self, x):
        return x + self.fc2(self.act(self.fc1(self.norm(x))))


class ResMLP(nn.Module):
    def __init__(self, width=48, depth=10):
        super().__init__()
        self.stem = nn.Linear(D_IN, width)
        self.blocks = nn.Sequential(*[ResBlock(width) for _ in range(depth)])
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, K)

    def forward(self, x):
        return self.head(self.norm(self.blocks(self.stem(x))))


teacher = nn.Sequential(nn.Linear(D_IN, 64), nn.ReLU(), nn.Linear(64, K)).requires_grad_(False)
with torch.no_grad():  # calibrate the teacher's output bias so that all classes are about equally frequent
    probe = torch.randn(20000, D_IN)
    for _ in range(200):
        freq = torch.bincount(teacher(probe).argmax(1), minlength=K).float() / len(probe)
        teacher[2].bias -= 0.05 * torch.log(freq.clamp_min(0.02) * K)


def sample(n, g):
    # balanced classes, points with a clear teacher margin
    x = torch.randn(20 * n, D_IN, generator=g)
    logits = teacher(x)
    top = logits.topk(2, 1).values
    x, y = x[top[:, 0] - top[:, 1] > 0.25], logits[top[:, 0] - top[:, 1] > 0.25].argmax(1)
    per = n // K
    idx = torch.cat([torch.nonzero(y == k).flatten()[:per] for k in range(K)])
    idx = idx[torch.randperm(len(idx), generator=g)]
    return x[idx], y[idx]


g = torch.Generator().manual_seed(4)
xtr, ytr = sample(3000, g)
xva, yva = sample(1000, g)

model = ResMLP()
opt = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01)
crit = nn.CrossEntropyLoss()
print("parameters:", sum(p.numel() for p in model.parameters()))

for epoch in range(12):
    model.train()
    perm = torch.randperm(len(xtr))
    tl = 0.0
    for i in range(0, len(xtr), 100):
        b = perm[i:i + 100]
        loss = crit(model(xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tl += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = crit(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch + 1:2d} train_loss {tl / len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / len(xtr), 4),
                                      "chance_acc": round(float(torch.bincount(yva).max()) / len(yva), 3)}))
