# expect:
# allow:
# forbid: *
# evidence: val_mse 0.033 vs target_var 0.586 (R^2 0.94), train_mse 0.032
# DeepSets (phi -> sum/mean/max pool -> rho) regressing a permutation-invariant statistic of variable-size point sets.
import json
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)


def make_sets(n, max_size=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    pts = torch.randn(n, max_size, 2, generator=g)
    sizes = torch.randint(4, max_size + 1, (n,), generator=g)
    mask = torch.arange(max_size)[None, :] < sizes[:, None]
    x_max = torch.where(mask, pts[..., 0], torch.full_like(pts[..., 0], -1e9)).max(1).values
    r = pts.norm(dim=-1)
    frac_far = ((r > 1.2) & mask).float().sum(1) / sizes
    y = x_max + 2.0 * frac_far
    return pts, mask, y


class DeepSets(nn.Module):
    def __init__(self, h=64):
        super().__init__()
        self.phi = nn.Sequential(nn.Linear(2, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU())
        self.rho = nn.Sequential(nn.Linear(3 * h, h), nn.ReLU(), nn.Linear(h, 1))

    def forward(self, pts, mask):
        e = self.phi(pts)
        m = mask.unsqueeze(-1).float()
        s = (e * m).sum(1)
        mean = s / m.sum(1)
        mx = e.masked_fill(~mask.unsqueeze(-1), -1e4).max(1).values
        return self.rho(torch.cat([s / 16.0, mean, mx], -1)).squeeze(-1)


P, M, Y = make_sets(4000, seed=1)
Pv, Mv, Yv = make_sets(1000, seed=2)
net = DeepSets()
opt = torch.optim.Adam(net.parameters(), lr=2e-3, weight_decay=1e-5)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
loss_fn = nn.MSELoss()
for ep in range(30):
    order = torch.randperm(len(Y))
    acc_loss = 0.0
    for k in range(0, len(Y), 128):
        b = order[k:k + 128]
        loss = loss_fn(net(P[b], M[b]), Y[b])
        opt.zero_grad(); loss.backward(); opt.step()
        acc_loss += loss.item() * len(b)
    sched.step()
    with torch.no_grad():
        v = loss_fn(net(Pv, Mv), Yv).item()
    if ep % 3 == 2 or ep == 29:
        print(f"ep {ep + 1:2d} train_mse {acc_loss / len(Y):.4f} val_mse {v:.4f}")

with torch.no_grad():
    t = loss_fn(net(P, M), Y).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(v, 5), "train_mse": round(t, 5), "target_var": round(Yv.var().item(), 5),
                                      "val_loss": round(v, 5), "train_loss": round(t, 5)}))
