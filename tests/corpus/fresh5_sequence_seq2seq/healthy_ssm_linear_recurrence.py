# expect:
# allow:
# forbid: *
# evidence: diagonal SSM (FFT conv), RMSprop + ExponentialLR; held-out val_mse 0.258 vs target variance 1.02 (R2 0.75), train_mse 0.244 (no gap)
# A toy diagonal state-space / linear-recurrence model (LRU/S4D-flavoured) written by hand:
#   h_t = a * h_{t-1} + B x_t,  with a = exp(-exp(log_dt)) in (0, 1) per channel (stable by construction)
#   y_t = Re-free readout C h_t + D x_t, followed by a GLU and residual; 2 layers, LayerNorm.
# The recurrence is computed with a parallel scan-free trick: a cumulative convolution with the
# kernel a^k (length L), via FFT. Task: delayed-sum regression -- predict the sum of the inputs
# 4..15 steps back (a long-range dependency), on held-out sequences. RMSprop optimiser.
import json, math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(9)

L, DIN = 48, 1


WIN_LO, WIN_HI = 4, 15


def make(n):
    x = torch.randn(n, L, DIN)
    c = torch.cumsum(F.pad(x[..., 0], (WIN_HI + 1, 0)), dim=1)  # padded cumulative sum
    # y_t = sum_{k=WIN_LO}^{WIN_HI} x_{t-k}
    y = c[:, WIN_HI + 1 - WIN_LO:WIN_HI + 1 - WIN_LO + L] - c[:, :L]
    y = y / math.sqrt(WIN_HI - WIN_LO + 1)
    return x, y.unsqueeze(-1)


class DiagSSM(nn.Module):
    def __init__(self, d, n_state=32):
        super().__init__()
        self.log_dt = nn.Parameter(torch.empty(d, n_state).uniform_(math.log(0.005), math.log(0.5)))
        self.B = nn.Parameter(torch.randn(d, n_state) / math.sqrt(n_state))
        self.C = nn.Parameter(torch.randn(d, n_state) / math.sqrt(n_state))
        self.D = nn.Parameter(torch.ones(d))

    def kernel(self, T):
        a = torch.exp(-torch.exp(self.log_dt))                      # (d, n) in (0,1)
        powers = a.unsqueeze(-1) ** torch.arange(T)                 # (d, n, T)
        return torch.einsum("dn,dnt->dt", self.B * self.C, powers)   # (d, T)

    def forward(self, u):                                           # u: (B, T, d)
        T = u.size(1)
        k = self.kernel(T)
        uf = torch.fft.rfft(u.transpose(1, 2), n=2 * T)
        kf = torch.fft.rfft(k, n=2 * T)
        y = torch.fft.irfft(uf * kf, n=2 * T)[..., :T].transpose(1, 2)
        return y + u * self.D


class Layer(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ssm = DiagSSM(d)
        self.glu = nn.Linear(d, 2 * d)

    def forward(self, x):
        h = self.ssm(self.norm(x))
        return x + F.glu(self.glu(F.gelu(h)), dim=-1)


class Model(nn.Module):
    def __init__(self, d=32, depth=2):
        super().__init__()
        self.inp = nn.Linear(DIN, d)
        self.layers = nn.Sequential(*[Layer(d) for _ in range(depth)])
        self.out = nn.Linear(d, 1)

    def forward(self, x):
        return self.out(self.layers(self.inp(x)))


xtr, ytr = make(2000)
xva, yva = make(500)
model = Model()
opt = torch.optim.RMSprop(model.parameters(), lr=4e-3, alpha=0.99)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.75)
for epoch in range(8):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 50):
        idx = perm[i:i + 50]
        loss = F.mse_loss(model(xtr[idx])[:, WIN_HI:], ytr[idx][:, WIN_HI:])
        opt.zero_grad(); loss.backward(); opt.step()
    sched.step()
    with torch.no_grad():
        vm = F.mse_loss(model(xva)[:, WIN_HI:], yva[:, WIN_HI:]).item()
    print(f"epoch {epoch} last_batch_mse {loss.item():.4f} val_mse {vm:.4f}")

with torch.no_grad():
    tm = F.mse_loss(model(xtr[:500])[:, WIN_HI:], ytr[:500][:, WIN_HI:]).item()
var = yva[:, WIN_HI:].var().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4), "target_var": round(var, 4),
                                     "val_r2": round(1 - vm / var, 4)}))
