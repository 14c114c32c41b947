"""Weather-station nowcasting: an LSTM reads 24 hourly readings of [pressure hPa ~1010, temperature C,
relative humidity %] in raw units and predicts the next-hour temperature (target standardised). With
inputs around 1000 the gate pre-activations are huge, so the sigmoid gates and tanh cell input sit at
their bounds for every input. Probe: fraction of gate activations within 0.01 of a bound.
--control standardises the three input channels with train statistics."""
# expect: saturated_activations
# allow: unnormalized_inputs, non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (raw hPa/C/% inputs): 97.7% of LSTM gate activations within 0.01 of a bound at init, 96.8% after training; val_mse 0.405 (target var 0.944), val MAE 2.51 C, worse than naive last-value 1.14 C; control (standardised): saturation 0.000, val_mse 0.021, val MAE 0.54 C
# control: --control
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
N = 3000; h = np.arange(N)
weather = np.zeros(N); e = np.random.randn(N)
for i in range(1, N): weather[i] = 0.97 * weather[i - 1] + 0.25 * e[i]
pressure = 1012 + 6 * weather + 0.5 * np.random.randn(N)
temp = 14 + 6 * np.sin(2 * np.pi * (h - 9) / 24) - 2.0 * weather + 0.4 * np.random.randn(N)
rh = np.clip(70 - 15 * np.sin(2 * np.pi * (h - 9) / 24) + 5 * weather + 2 * np.random.randn(N), 20, 100)
feats = np.stack([pressure, temp, rh], 1).astype(np.float32)
W = 24
X = np.stack([feats[i - W:i] for i in range(W, N)]); Y = temp[W:].astype(np.float32)
ym, ys = float(Y[:2000].mean()), float(Y[:2000].std()); Y = (Y - ym) / ys
if CONTROL:
    m, s = feats[:2000].mean(0), feats[:2000].std(0); X = (X - m) / s
Xtr, Ytr = torch.tensor(X[:2000]), torch.tensor(Y[:2000]); Xva, Yva = torch.tensor(X[2200:]), torch.tensor(Y[2200:])
print(f"input channel means {Xtr.mean(dim=(0, 1)).numpy().round(1).tolist()} stds {Xtr.std(dim=(0, 1)).numpy().round(1).tolist()}")
class Net(nn.Module):
    def __init__(self):
        super().__init__(); self.lstm = nn.LSTM(3, 32, batch_first=True); self.head = nn.Linear(32, 1)
    def forward(self, x): return self.head(self.lstm(x)[0][:, -1]).squeeze(-1)
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)
def gate_saturation(x):
    """Replay the LSTM step by step and collect gate activations."""
    l = model.lstm; hsz = 32; hh = torch.zeros(len(x), hsz); c = torch.zeros(len(x), hsz); sat = []
    with torch.no_grad():
        for t in range(x.shape[1]):
            z = x[:, t] @ l.weight_ih_l0.T + l.bias_ih_l0 + hh @ l.weight_hh_l0.T + l.bias_hh_l0
            i, f, g, o = z.chunk(4, 1); i, f, o, g = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o), torch.tanh(g)
            sat.append(torch.cat([((i < 0.01) | (i > 0.99)), ((f < 0.01) | (f > 0.99)), ((o < 0.01) | (o > 0.99)), (g.abs() > 0.99)], 1).float().mean())
            c = f * c + i * g; hh = o * torch.tanh(c)
    return torch.stack(sat).mean().item()
sat0 = gate_saturation(Xtr[:256])
for epoch in range(6):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = F.mse_loss(model(Xtr[idx]), Ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    model.eval()
    with torch.no_grad(): p = model(Xva); vl = F.mse_loss(p, Yva).item(); vm = (p - Yva).abs().mean().item() * ys
    print(f"epoch {epoch} train_mse {tl / len(Xtr):.4f} val_mse {vl:.4f} val_mae_C {vm:.3f}")
sat1 = gate_saturation(Xtr[:256])
naive = (torch.tensor(temp[2200 + W - 1:N - 1]) - torch.tensor(temp[2200 + W:])).abs().mean().item()
print(f"gate saturation probe (fraction within 0.01 of a bound): at init {sat0:.3f}, after training {sat1:.3f}; naive last-value MAE {naive:.3f} C")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "val_mae_C": round(vm, 4), "train_mse": round(tl / len(Xtr), 4), "target_var": round(Yva.var().item(), 4),
      "naive_mae_C": round(naive, 4), "gate_saturation_init": round(sat0, 4), "gate_saturation_end": round(sat1, 4)}))
