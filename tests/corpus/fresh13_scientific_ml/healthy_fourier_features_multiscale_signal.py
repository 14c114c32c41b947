# Function fitting with random Fourier features (Tancik et al. style): a 1-D multi-scale signal
# (a chirp plus two harmonics, like a measured vibration trace) sampled at 512 points; every 4th
# point is held out for validation. gamma(x) = [sin(2 pi B x), cos(2 pi B x)], B ~ N(0, 10^2),
# then a small ReLU MLP. Adam + cosine. Report relative L2 on the held-out points.
# A plain MLP on raw x would suffer from spectral bias; the Fourier features fix that.
# expect:
# allow:
# forbid: *
# evidence: val rel L2 0.0058 on held-out samples (val_mse 2.2e-5 vs target var 0.67); train_mse keeps dropping to 3.7e-7 while val_mse stays flat at its best 2.2e-5 (interpolation limit, not overfitting)
# native-log: fit_log.jsonl
# log-expect:
# log-allow:
import os, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

x = torch.linspace(0, 1, 512).unsqueeze(1)
y = torch.sin(2 * math.pi * (3 * x + 6 * x ** 2)) + 0.5 * torch.sin(2 * math.pi * 17 * x) + 0.25 * torch.cos(2 * math.pi * 31 * x)
val_mask = torch.zeros(512, dtype=torch.bool); val_mask[2::4] = True
x_tr, y_tr, x_va, y_va = x[~val_mask], y[~val_mask], x[val_mask], y[val_mask]

class FourierMLP(nn.Module):
    def __init__(self, n_feat=64, scale=10.0):
        super().__init__()
        self.register_buffer("B", torch.randn(1, n_feat) * scale)
        self.mlp = nn.Sequential(nn.Linear(2 * n_feat, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
    def forward(self, x):
        proj = 2 * math.pi * x @ self.B
        return self.mlp(torch.cat([torch.sin(proj), torch.cos(proj)], -1))

model = FourierMLP()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=1000)
rel = lambda p, t: (torch.linalg.norm(p - t) / torch.linalg.norm(t)).item()
log = open(os.path.join(log_dir, "fit_log.jsonl"), "w")
for step in range(1, 1001):
    loss = ((model(x_tr) - y_tr) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    if step % 25 == 0:
        with torch.no_grad():
            vl = ((model(x_va) - y_va) ** 2).mean().item(); vr = rel(model(x_va), y_va)
        log.write(json.dumps({"step": step, "train_loss": loss.item(), "val_loss": vl, "val_rel_l2": vr, "lr": sched.get_last_lr()[0]}) + "\n")
        if step % 250 == 0:
            print(f"step {step} train_mse {loss.item():.3e} val_mse {vl:.3e} val_relL2 {vr:.4f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": vl, "val_rel_l2": vr, "target_var": y_va.var().item(), "train_loss": loss.item()}))
