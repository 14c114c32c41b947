"""Denoising autoencoder on sklearn digits (Gaussian corruption, MSE on clean targets).
Planted: a 'sparse coding' init sets every hidden ReLU bias to -4, so the
bottleneck/hidden units never fire and the decoder only learns the mean image.
--control uses the default bias init."""
# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted: 100% of ReLU units never fire on val data, val MSE 0.083 (worse than the mean image, 0.073); control: 9% dead, val MSE 0.017
# control: --control
# native-log:
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

X = torch.tensor(load_digits().data / 16.0, dtype=torch.float32)
perm = torch.randperm(len(X))
Xtr, Xva = X[perm[:1400]], X[perm[1400:]]

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 32), nn.ReLU(),
                      nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 64))
if not CONTROL:
    for m in model:
        if isinstance(m, nn.Linear) and m.out_features != 64:
            nn.init.constant_(m.bias, -4.0)          # planted: "sparse" init, units start (and stay) off
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

acts = {}
for i, m in enumerate(model):
    if isinstance(m, nn.ReLU):
        m.register_forward_hook(lambda mod, inp, out, i=i: acts.__setitem__(i, out.detach()))

for epoch in range(30):
    model.train()
    p = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        xb = Xtr[p[i:i + 64]]
        loss = F.mse_loss(model(xb + 0.2 * torch.randn_like(xb)), xb)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        vl = F.mse_loss(model(Xva + 0.2 * torch.randn_like(Xva)), Xva).item()
    if epoch % 5 == 0 or epoch == 29:
        dead = {k: float((v.max(0).values <= 0).float().mean()) for k, v in acts.items()}
        print(f"epoch {epoch:2d} train_mse {tot/len(Xtr):.4f} val_mse {vl:.4f} dead-unit fraction per ReLU layer {dead}")
with torch.no_grad():
    model(Xva)
dead_all = float(torch.cat([(v.max(0).values <= 0).float() for v in acts.values()]).mean())
mean_img_mse = F.mse_loss(Xtr.mean(0).expand_as(Xva), Xva).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 5), "train_mse": round(tot / len(Xtr), 5), "mean_image_mse": round(mean_img_mse, 5),
                                      "target_var": round(Xva.var().item(), 5), "dead_relu_fraction": round(dead_all, 4)}))
