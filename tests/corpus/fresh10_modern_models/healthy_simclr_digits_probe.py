# expect:
# allow:
# forbid: *
# evidence: MLP encoder + projector, NT-Xent tau 0.1, AdamW one-cycle 250 steps, translation/jitter/noise/erasing views; linear probe on frozen features: held-out val_acc 0.95, val_loss 0.16 (chance 0.10)
"""SimCLR-style contrastive pre-training (NT-Xent, two augmented views) of an MLP encoder on 8x8 digits,
then a linear probe on frozen features evaluated on held-out digits."""
import argparse, json, math
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)


@dataclass
class SimCLRConfig:
    feat_dim: int = 64
    proj_dim: int = 32
    tau: float = 0.1
    lr: float = 2e-3
    steps: int = 250
    batch: int = 128
    probe_epochs: int = 100
    stable_loss: bool = True
    seed: int = 0


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(64, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, c.feat_dim))
        self.projector = nn.Sequential(nn.ReLU(), nn.Linear(c.feat_dim, c.feat_dim), nn.ReLU(), nn.Linear(c.feat_dim, c.proj_dim))

    def forward(self, x):
        h = self.backbone(x)
        return h, self.projector(h)


def augment(x):
    """x: (B, 8, 8) in [0,1]: random translation by up to 1 px, intensity jitter, pixel noise, random erasing of a row."""
    B = x.shape[0]
    out = torch.zeros_like(x)
    dx, dy = torch.randint(-1, 2, (2, B))
    for i in range(B):
        out[i] = torch.roll(x[i], shifts=(int(dy[i]), int(dx[i])), dims=(0, 1))
    out = out * torch.empty(B, 1, 1).uniform_(0.7, 1.3) + 0.1 * torch.randn_like(out)
    rows = torch.randint(0, 8, (B,))
    out[torch.arange(B), rows] = 0.0
    return out.reshape(B, 64)


def nt_xent(z1, z2, tau, stable=True):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    n = z1.shape[0]
    sim = z @ z.t() / tau
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    if stable:
        sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
        return F.cross_entropy(sim, target)
    # hand-written version from an old repo
    e = torch.exp(sim) * (1 - torch.eye(2 * n))
    pos = e[torch.arange(2 * n), target]
    return -(torch.log(pos / e.sum(1))).mean()


def linear_probe(feats_tr, ytr, feats_va, yva, epochs, seed):
    torch.manual_seed(seed)
    mu, sd = feats_tr.mean(0), feats_tr.std(0) + 1e-6
    ftr, fva = (feats_tr - mu) / sd, (feats_va - mu) / sd
    clf = nn.Linear(ftr.shape[1], 10)
    opt = torch.optim.Adam(clf.parameters(), lr=1e-2, weight_decay=1e-4)
    for _ in range(epochs):
        loss = F.cross_entropy(clf(ftr), ytr); opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        out = clf(fva)
        return F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item(), loss.item()


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = SimCLRConfig()
    torch.manual_seed(c.seed); np.random.seed(c.seed)
    d = load_digits()
    X = torch.tensor(d.images / 16.0, dtype=torch.float32); y = torch.tensor(d.target)
    itr, iva = train_test_split(np.arange(len(y)), test_size=0.3, random_state=0, stratify=d.target)
    Xtr, Xva, ytr, yva = X[itr], X[iva], y[itr], y[iva]
    model = Encoder(c)
    opt = torch.optim.AdamW(model.parameters(), lr=c.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=c.lr, total_steps=c.steps, pct_start=0.1)
    for step in range(c.steps):
        xb = Xtr[torch.randint(0, len(Xtr), (c.batch,))]
        model.train()
        _, z1 = model(augment(xb)); _, z2 = model(augment(xb))
        loss = nt_xent(z1, z2, c.tau, c.stable_loss)
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        if step % 50 == 0 or step == c.steps - 1:
            print(f"step {step} contrastive_loss {loss.item():.4f} lr {sched.get_last_lr()[0]:.2e}")
    model.eval()
    with torch.no_grad():
        ftr, _ = model(Xtr.reshape(-1, 64)); fva, _ = model(Xva.reshape(-1, 64))
    if not (torch.isfinite(ftr).all() and torch.isfinite(fva).all()):
        print("encoder features are not finite -> probe falls back to chance")
        ftr, fva = torch.nan_to_num(ftr, 0, 0, 0), torch.nan_to_num(fva, 0, 0, 0)
    vl, va, tl = linear_probe(ftr, ytr, fva, yva, c.probe_epochs, c.seed)
    print("CORPUS_METRIC " + json.dumps({"probe_val_loss": round(vl, 4), "probe_val_acc": round(va, 4), "probe_train_loss": round(tl, 4),
                                         "final_contrastive_loss": float(round(loss.item(), 4)) if math.isfinite(loss.item()) else str(loss.item()),
                                         "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
