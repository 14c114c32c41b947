# expect:
# allow:
# forbid: *
# evidence: BYOL (EMA target, predictor, no negatives) on unlabeled 2-D point clouds; BYOL loss 2.49 -> 1.35 without collapse; linear probe from 24 labels val_acc 0.993, val_loss 0.024 (random-init encoder probe 0.992 - the task is easy; chance 0.25)
"""BYOL-style self-supervised pretraining of a DeepSets encoder on 2-D point clouds
(ellipse / cross / spiral / three blobs), then a logistic-regression probe on frozen features."""
import copy
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(8)
K = 48                       # points per cloud
KINDS = ("ellipse", "cross", "spiral", "blobs")


def cloud(kind, g):
    u = torch.rand(K, generator=g)
    if kind == "ellipse":
        a = 2 * math.pi * u
        p = torch.stack([torch.cos(a), 0.5 * torch.sin(a)], 1)
    elif kind == "cross":
        s = (torch.rand(K, generator=g) < 0.5).float()
        t = 2 * u - 1
        p = torch.stack([t * s, t * (1 - s)], 1)
    elif kind == "spiral":
        r = 0.15 + 0.85 * u
        a = 3 * math.pi * u
        p = torch.stack([r * torch.cos(a), r * torch.sin(a)], 1)
    else:
        c = torch.tensor([[0.0, 0.8], [-0.7, -0.4], [0.7, -0.4]])
        p = c[torch.randint(0, 3, (K,), generator=g)] + 0.12 * torch.randn(K, 2, generator=g)
    return p + 0.03 * torch.randn(K, 2, generator=g)


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 4, (n,), generator=g)
    return torch.stack([cloud(KINDS[k], g) for k in y]), y


def augment(x):
    """random rotation, anisotropic scale, jitter, point dropout (resample)"""
    b = x.shape[0]
    a = 2 * math.pi * torch.rand(b)
    R = torch.stack([torch.stack([a.cos(), -a.sin()], 1), torch.stack([a.sin(), a.cos()], 1)], 1)
    S = torch.diag_embed(0.7 + 0.6 * torch.rand(b, 2))
    x = x @ (R @ S).transpose(1, 2)
    idx = torch.randint(0, K, (b, K))
    x = torch.gather(x, 1, idx.unsqueeze(-1).expand(-1, -1, 2))
    return x + 0.03 * torch.randn_like(x)


class DeepSets(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.phi = nn.Sequential(nn.Linear(2, d), nn.ReLU(), nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))
        self.rho = nn.Sequential(nn.Linear(2 * d, d), nn.BatchNorm1d(d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        h = self.phi(x - x.mean(1, keepdim=True))
        return self.rho(torch.cat([h.mean(1), h.max(1).values], 1))


def mlp(d_in, d_out, hid=64):
    return nn.Sequential(nn.Linear(d_in, hid), nn.BatchNorm1d(hid), nn.ReLU(), nn.Linear(hid, d_out))


def linear_probe(enc, xtr, ytr, xva, yva):
    enc.eval()
    with torch.no_grad():
        ftr, fva = enc(xtr), enc(xva)
    m, s = ftr.mean(0), ftr.std(0) + 1e-6
    ftr, fva = (ftr - m) / s, (fva - m) / s
    clf = nn.Linear(ftr.shape[1], 4)
    o = torch.optim.LBFGS(clf.parameters(), max_iter=100, line_search_fn="strong_wolfe")

    def closure():
        o.zero_grad()
        l = F.cross_entropy(clf(ftr), ytr) + 1e-3 * clf.weight.pow(2).sum()
        l.backward()
        return l

    o.step(closure)
    with torch.no_grad():
        return (F.cross_entropy(clf(ftr), ytr).item(), F.cross_entropy(clf(fva), yva).item(),
                (clf(fva).argmax(1) == yva).float().mean().item())


unlabeled, _ = make(1500, 1)
xtr, ytr = make(24, 2)
xva, yva = make(600, 3)

online = DeepSets()
_, _, rand_acc = linear_probe(online, xtr, ytr, xva, yva)
proj, pred = mlp(64, 32), mlp(32, 32)
target_enc, target_proj = copy.deepcopy(online), copy.deepcopy(proj)
for p in list(target_enc.parameters()) + list(target_proj.parameters()):
    p.requires_grad_(False)

params = list(online.parameters()) + list(proj.parameters()) + list(pred.parameters())
opt = torch.optim.AdamW(params, lr=2e-3, weight_decay=1e-5)
EPOCHS, BS = 8, 100
total = EPOCHS * (len(unlabeled) // BS)
step = 0


def byol_loss(p, z):
    return 2 - 2 * F.cosine_similarity(p, z.detach(), dim=1).mean()


for ep in range(EPOCHS):
    online.train(); proj.train(); pred.train()
    perm = torch.randperm(len(unlabeled))
    losses = []
    for i in range(len(unlabeled) // BS):
        x = unlabeled[perm[i * BS:(i + 1) * BS]]
        v1, v2 = augment(x), augment(x)
        p1, p2 = pred(proj(online(v1))), pred(proj(online(v2)))
        with torch.no_grad():
            z1, z2 = target_proj(target_enc(v1)), target_proj(target_enc(v2))
        loss = byol_loss(p1, z2) + byol_loss(p2, z1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tau = 1 - (1 - 0.99) * (math.cos(math.pi * step / total) + 1) / 2     # 0.99 -> 1
        with torch.no_grad():
            for t, o in zip(list(target_enc.parameters()) + list(target_proj.parameters()),
                            list(online.parameters()) + list(proj.parameters())):
                t.mul_(tau).add_(o, alpha=1 - tau)
            for t, o in zip(list(target_enc.buffers()) + list(target_proj.buffers()),
                            list(online.buffers()) + list(proj.buffers())):
                t.copy_(o)
        step += 1
        losses.append(loss.item())
    print(f"epoch {ep}: byol loss {sum(losses) / len(losses):.4f}")

tr_loss, val_loss, val_acc = linear_probe(online, xtr, ytr, xva, yva)
print(f"probe: random-init encoder {rand_acc:.3f} -> BYOL encoder {val_acc:.3f} (val_loss {val_loss:.4f})")
print("CORPUS_METRIC " + json.dumps({"pretrain_loss": round(sum(losses) / len(losses), 4),
                                     "train_loss": round(tr_loss, 4), "val_loss": round(val_loss, 4),
                                     "val_acc": round(val_acc, 4), "random_encoder_val_acc": round(rand_acc, 4),
                                     "chance_acc": 0.25}))
