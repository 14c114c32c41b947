# Random-Fourier-feature network fitting a measured multi-scale trace (chirp + harmonics), every
# 4th sample held out. Planted cause: the learning rate was typed as 2e-6 instead of 2e-3
# (Adam), so after 600 full-batch steps the weights have barely moved and the fit is poor.
# --control uses lr=2e-3 (the only change). Logged to CSV per 20 steps.
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (lr 2e-6) train_mse 0.605, val_mse 0.606 vs target var 0.668 (val rel L2 0.95) after 600 steps, loss creeping down slowly, total weight change 2.3%, update/weight 4e-5 per step; control (lr 2e-3) val_mse 2.2e-5 (rel L2 0.0057), weights moved 43%
# control: --control
# native-log: lr_run/metrics.csv
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
import os, csv, json, math, random, argparse, tempfile
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "lr_run")
os.makedirs(log_dir, exist_ok=True)

x = torch.linspace(0, 1, 512).unsqueeze(1)
y = torch.sin(2 * math.pi * (3 * x + 6 * x ** 2)) + 0.5 * torch.sin(2 * math.pi * 17 * x) + 0.25 * torch.cos(2 * math.pi * 31 * x)
val = torch.zeros(512, dtype=torch.bool); val[2::4] = True
x_tr, y_tr, x_va, y_va = x[~val], y[~val], x[val], y[val]

B = torch.randn(1, 64) * 10.0
feat = lambda x: torch.cat([torch.sin(2 * math.pi * x @ B), torch.cos(2 * math.pi * x @ B)], -1)
net = nn.Sequential(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
LR = 2e-3 if args.control else 2e-6
opt = torch.optim.Adam(net.parameters(), lr=LR)
w0 = torch.cat([p.detach().flatten() for p in net.parameters()]).clone()
f = open(os.path.join(log_dir, "metrics.csv"), "w", newline="")
wr = csv.writer(f); wr.writerow(["step", "train_loss", "val_loss", "lr"])
F_tr, F_va = feat(x_tr), feat(x_va)
for step in range(1, 601):
    before = torch.cat([p.detach().flatten() for p in net.parameters()]).clone()
    loss = ((net(F_tr) - y_tr) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 20 == 0:
        after = torch.cat([p.detach().flatten() for p in net.parameters()])
        upd = (torch.linalg.norm(after - before) / torch.linalg.norm(before)).item()
        with torch.no_grad():
            vl = ((net(F_va) - y_va) ** 2).mean().item()
        wr.writerow([step, loss.item(), vl, LR])
        if step % 100 == 0:
            print(f"step {step} train_mse {loss.item():.4e} val_mse {vl:.4e} update/weight {upd:.1e}")
f.close()
drift = (torch.linalg.norm(torch.cat([p.detach().flatten() for p in net.parameters()]) - w0) / torch.linalg.norm(w0)).item()
vr = (torch.linalg.norm(net(F_va) - y_va) / torch.linalg.norm(y_va)).item()
print(f"total relative weight change {drift:.2e}; val rel L2 {vr:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": vl, "val_rel_l2": vr, "target_var": y_va.var().item(), "train_loss": loss.item(), "update_ratio": upd}))
