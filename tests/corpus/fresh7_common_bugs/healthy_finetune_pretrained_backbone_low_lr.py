# expect:
# allow:
# forbid: *
# evidence: healthy; fine-tune (Adam 3e-4, linear decay) val_acc 0.826 (majority 0.31), val_loss 0.435, train 0.33
"""Fine-tuning at a low learning rate. A 3-layer MLP backbone is first pre-trained in-script on
a large related source task (8 classes, 6000 rows, Adam 1e-3, 5 epochs) — standing in for a
downloaded checkpoint — then the source head is replaced and the WHOLE network is fine-tuned on
a small target task (4 classes, 1200 rows) with Adam(lr=3e-4) and a linear decay, the usual
recipe for fine-tuning. Only the fine-tuning phase is the training being judged; both phases
are ordinary PyTorch loops in this process.
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(12)
D, K = 32, 12
A = torch.randn(K, D, generator=g)          # shared latent -> observed features
Ws = torch.randn(K, 8, generator=g)          # source labels from the latent
Wt = torch.randn(K, 4, generator=g)          # target labels from the same latent


def sample(n, W):
    z = torch.randn(n, K, generator=g)
    x = torch.tanh(z @ A / 3) * 2 + 0.2 * torch.randn(n, D, generator=g)
    y = (z @ W + 0.3 * torch.randn(n, W.shape[1], generator=g)).argmax(1)
    return x, y


backbone = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())


def loop(model, opt, x, y, epochs, bs, sched=None, tag=""):
    for ep in range(epochs):
        perm = torch.randperm(len(x))
        s = 0.0
        for i in range(0, len(x), bs):
            idx = perm[i:i + bs]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            s += loss.item() * len(idx)
        yield ep, s / len(x)


# --- "pretrained checkpoint" ---
xs, ys = sample(6000, Ws)
src = nn.Sequential(backbone, nn.Linear(64, 8))
for ep, l in loop(src, torch.optim.Adam(src.parameters(), lr=1e-3), xs, ys, 5, 64):
    print(f"[pretrain] epoch {ep+1} loss {l:.4f}")

# --- fine-tuning on the small target task ---
xtr, ytr = sample(1200, Wt)
xva, yva = sample(1000, Wt)
model = nn.Sequential(backbone, nn.Linear(64, 4))
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
epochs, bs = 15, 32
total = epochs * ((len(xtr) + bs - 1) // bs)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1 - 0.9 * s / total)
for ep, l in loop(model, opt, xtr, ytr, epochs, bs, sched):
    with torch.no_grad():
        o = model(xva)
        vl, va = F.cross_entropy(o, yva).item(), (o.argmax(1) == yva).float().mean().item()
    print(f"[finetune] epoch {ep+1} train_loss {l:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
with torch.no_grad():
    tl = F.cross_entropy(model(xtr), ytr).item()
chance = (torch.bincount(yva).max() / len(yva)).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(chance, 4)}))
