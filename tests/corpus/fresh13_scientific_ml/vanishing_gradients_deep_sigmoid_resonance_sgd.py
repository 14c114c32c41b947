# Same kind of vibration surrogate (amplitude of a forced damped oscillator, log10 mm), but the
# engineer stacked 10 sigmoid hidden layers of width 32 and trains with SGD + momentum.
# Planted cause: deep sigmoid stack -> gradients shrink by ~1e-8 toward the input layer and the
# model never leaves the mean prediction. --control swaps Sigmoid for Tanh (same depth, init, optimiser).
# Scalars (train/val loss) go to TensorBoard.
# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_low
# forbid: *
# evidence: control (tanh) val_mse 0.027 (R2 0.97); planted (sigmoid) train_mse 1.01 / val_mse 0.96 = mean predictor (target var 1.0); first-layer weight grad norm 2.7e-9 vs last hidden 2.9e-2 (control tanh: 0.25 vs 0.11)
# control: --control
# native-log: tb
# log-expect:
# log-allow: non_convergence, high_bias
import os, json, random, argparse, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.tensorboard import SummaryWriter

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(log_dir, "tb"))
rng = np.random.default_rng(0)

def simulate(n):
    f_hz = rng.uniform(1, 20, n); k = rng.uniform(2e3, 2e4, n); m = rng.uniform(1, 5, n)
    zeta = rng.uniform(0.05, 0.3, n); F = rng.uniform(10, 100, n)
    w = 2 * np.pi * f_hz; w0 = np.sqrt(k / m)
    amp_mm = F / m / np.sqrt((w0 ** 2 - w ** 2) ** 2 + (2 * zeta * w0 * w) ** 2) * 1000
    X = np.stack([f_hz, k, m, zeta, F], 1)
    y = np.log10(amp_mm) + rng.normal(0, 0.02, n)
    return X.astype(np.float32), y.astype(np.float32)

Xtr, ytr = simulate(1500); Xva, yva = simulate(500)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = torch.tensor((Xtr - mu) / sd), torch.tensor((Xva - mu) / sd)
ym, ys = ytr.mean(), ytr.std()
ytr_t, yva_t = torch.tensor((ytr - ym) / ys)[:, None], torch.tensor((yva - ym) / ys)[:, None]

Act = nn.Tanh if args.control else nn.Sigmoid
layers, d = [], 5
for _ in range(10):
    layers += [nn.Linear(d, 32), Act()]; d = 32
layers.append(nn.Linear(d, 1))
net = nn.Sequential(*layers)
linears = [m for m in net if isinstance(m, nn.Linear)]
opt = torch.optim.SGD(net.parameters(), lr=1e-2, momentum=0.9)
step = 0
for epoch in range(40):
    perm = torch.randperm(1500)
    for i in range(0, 1500, 50):
        idx = perm[i:i + 50]
        loss = ((net(Xtr[idx]) - ytr_t[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
        writer.add_scalar("loss/train_step", loss.item(), step); step += 1
    with torch.no_grad():
        tr = ((net(Xtr) - ytr_t) ** 2).mean().item(); va = ((net(Xva) - yva_t) ** 2).mean().item()
    writer.add_scalar("loss/train", tr, epoch); writer.add_scalar("loss/val", va, epoch)
    if epoch % 10 == 0 or epoch == 39:
        g = [l.weight.grad.norm().item() for l in linears]
        print(f"epoch {epoch} train_mse {tr:.4f} val_mse {va:.4f} | grad norm layer1 {g[0]:.1e} layer5 {g[4]:.1e} layer10 {g[9]:.1e} out {g[10]:.1e}")
writer.close()
r2 = 1 - va / yva_t.var().item()
print(f"val R2 {r2:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": va, "train_loss": tr, "target_var": 1.0, "val_r2": r2, "grad_norm_first_layer": g[0], "grad_norm_last_hidden": g[9]}))
