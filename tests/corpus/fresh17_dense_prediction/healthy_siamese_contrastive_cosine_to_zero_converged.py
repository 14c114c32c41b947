"""Siamese network on pairs of synthetic 12x12 'glyphs' (8 glyph identities,
random shift, stroke-intensity jitter and noise): contrastive loss (margin 1.0)
on L2 distance of 8-d embeddings, SGD with momentum and cosine decay to ~0. The
model has converged by ~epoch 9; in the last epochs the lr is decayed to ~0, so
updates are tiny and the loss barely moves: a finished schedule, not a problem.
Prints pair AUC, verification accuracy and retrieval recall@1 on held-out glyphs."""
# expect:
# allow:
# forbid: *
# evidence: held-out recall@1 0.320 -> 0.942 (chance 0.125), pair AUC 0.574 -> 0.953, verification acc 0.877; val_loss 0.253 -> 0.113 and flat over the last 6 epochs because cosine lr reaches 0 (4e-3 at epoch 12, 0 at the end), per-batch grad norm stays ~0.3 (random pairs); train 0.077 vs val 0.113
import json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import roc_auc_score

torch.manual_seed(21); np.random.seed(21); random.seed(21)
torch.set_num_threads(1)
rng = np.random.default_rng(21)
G = 12
protos = (rng.random((8, 8, 8)) < 0.35).astype(np.float32)
def make(n):
    lab = rng.integers(0, 8, n); x = np.zeros((n, 1, G, G), np.float32)
    for i in range(n):
        dy, dx = rng.integers(0, 5, 2); x[i, 0, dy:dy + 8, dx:dx + 8] = protos[lab[i]] * rng.uniform(0.7, 1.3)
    x += rng.normal(0, 0.3, x.shape).astype(np.float32)
    return torch.tensor(x), torch.tensor(lab)
xtr, ytr = make(1200); xva, yva = make(400)
net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                    nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(32, 8))
EPOCHS = 16; steps = EPOCHS * (len(xtr) // 64)
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
def contrastive(e1, e2, same, margin=1.0):
    d = (e1 - e2).norm(dim=1)
    return (same * d ** 2 + (1 - same) * F.relu(margin - d) ** 2).mean()
def pairs(x, y, n):
    i = torch.randint(len(x), (n,)); same = torch.rand(n) < 0.5
    j = torch.randint(len(x), (n,))
    for k in torch.where(same)[0]:
        cand = torch.where(y == y[i[k]])[0]; j[k] = cand[torch.randint(len(cand), (1,))]
    return x[i], x[j], (y[i] == y[j]).float()
va1, va2, vs = pairs(xva, yva, 600)
for ep in range(EPOCHS):
    net.train(); tl = []; gn = []
    for _ in range(len(xtr) // 64):
        a, b, s = pairs(xtr, ytr, 64); loss = contrastive(net(a), net(b), s)
        opt.zero_grad(); loss.backward()
        gn.append(torch.norm(torch.stack([p.grad.norm() for p in net.parameters()])).item())
        opt.step(); sched.step(); tl.append(loss.item())
    net.eval()
    with torch.no_grad():
        d = (net(va1) - net(va2)).norm(dim=1); vl = contrastive(net(va1), net(va2), vs).item()
        auc = roc_auc_score(vs.numpy(), -d.numpy()); ver = ((d < 0.5).float() == vs).float().mean().item()
        e = net(xva); D = torch.cdist(e, e); D.fill_diagonal_(1e9); r1 = (yva[D.argmin(1)] == yva).float().mean().item()
    if ep % 3 == 0 or ep == EPOCHS - 1:
        print(f"epoch {ep} train_loss {np.mean(tl):.5f} val_loss {vl:.5f} pair_auc {auc:.4f} verif_acc {ver:.3f} recall@1 {r1:.3f} "
              f"grad_norm {np.mean(gn):.4f} lr {sched.get_last_lr()[0]:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 5), "pair_auc": round(auc, 4), "verif_acc": round(ver, 4), "recall@1": round(r1, 4),
      "chance_recall@1": 0.125, "train_loss": round(float(np.mean(tl)), 5), "final_grad_norm": round(float(np.mean(gn)), 5)}))
