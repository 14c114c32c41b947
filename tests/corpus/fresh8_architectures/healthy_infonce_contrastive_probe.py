# expect:
# allow:
# forbid: *
# evidence: linear probe on frozen InfoNCE features: val_acc 1.00 (chance 0.167), val CE 0.0054 = train CE 0.0053; val NT-Xent 3.80 vs train 3.73 (chance 5.54 at batch 128)
# SimCLR-style InfoNCE (NT-Xent, tau=0.2) pre-training of an encoder on unlabeled synthetic 1-D signals with
# augmentations (random shift, amplitude jitter, noise); then a linear probe on frozen features (labels only here).
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
G = torch.Generator().manual_seed(0)
L, NCLS = 64, 6


def signals(n):
    y = torch.randint(0, NCLS, (n,), generator=G)
    t = torch.linspace(0, 1, L)
    freq = (2 + y).float()[:, None]
    shape = torch.where((y % 2 == 0)[:, None], torch.sin(2 * torch.pi * freq * t), torch.sign(torch.sin(2 * torch.pi * freq * t)))
    return shape + 0.3 * torch.randn(n, L, generator=G), y


def augment(x):
    shift = torch.randint(0, L, (1,)).item()
    x = torch.roll(x, shift, dims=1)
    x = x * (0.6 + 0.8 * torch.rand(x.shape[0], 1))
    return x + 0.3 * torch.randn_like(x)


encoder = nn.Sequential(nn.Unflatten(1, (1, L)), nn.Conv1d(1, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                        nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
projector = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 32))


def nt_xent(z1, z2, tau=0.2):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.T / tau
    n = z1.shape[0]
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


unlabeled, _ = signals(4000)
x_lab, y_lab = signals(1000)
x_val, y_val = signals(1000)
opt = torch.optim.Adam(list(encoder.parameters()) + list(projector.parameters()), lr=1e-3)
val_views = (augment(x_val[:128]), augment(x_val[:128]))

for epoch in range(6):
    perm = torch.randperm(len(unlabeled))
    tot, nb = 0.0, 0
    for i in range(0, len(unlabeled), 128):
        xb = unlabeled[perm[i:i + 128]]
        loss = nt_xent(projector(encoder(augment(xb))), projector(encoder(augment(xb))))
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item(); nb += 1
    with torch.no_grad():
        vl = nt_xent(projector(encoder(val_views[0])), projector(encoder(val_views[1]))).item()
    print(f"pretrain epoch {epoch}: train nt-xent {tot / nb:.4f}  val nt-xent {vl:.4f}  (chance {torch.log(torch.tensor(255.)).item():.2f})")

with torch.no_grad():
    f_lab, f_val = encoder(x_lab), encoder(x_val)
mu, sd = f_lab.mean(0), f_lab.std(0) + 1e-6
f_lab, f_val = (f_lab - mu) / sd, (f_val - mu) / sd
probe = nn.Linear(32, NCLS)
popt = torch.optim.LBFGS(probe.parameters(), max_iter=200)


def closure():
    popt.zero_grad()
    l = F.cross_entropy(probe(f_lab), y_lab) + 1e-3 * probe.weight.pow(2).sum()
    l.backward()
    return l


popt.step(closure)
with torch.no_grad():
    tr_loss = F.cross_entropy(probe(f_lab), y_lab).item()
    v_loss = F.cross_entropy(probe(f_val), y_val).item()
    v_acc = (probe(f_val).argmax(1) == y_val).float().mean().item()
print(f"linear probe: train CE {tr_loss:.4f}  val CE {v_loss:.4f}  val acc {v_acc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(v_loss, 4), "val_acc": round(v_acc, 4), "train_loss": round(tr_loss, 4),
                                      "chance_acc": round(1 / NCLS, 4), "val_ntxent": round(vl, 4)}))
