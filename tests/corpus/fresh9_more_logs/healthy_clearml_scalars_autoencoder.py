# expect:
# allow:
# forbid: *
# evidence: denoising autoencoder (64-128-16-128-64, ELU) on digit pixels, 35 epochs Adam + MultiStepLR: train_mse 0.0106, val_mse 0.0113 vs target_var 0.141 (R2 0.92)
# native-log: clearml_scalars.json
# log-expect:
# log-allow:
# Denoising autoencoder on digit images. Scalars saved the way ClearML's Task.get_reported_scalars()
# returns them: {title: {series: {"x": [iterations], "y": [values]}}}.
import json, os, tempfile
from collections import defaultdict

import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_digits


class Reporter:
    def __init__(self):
        self.s = defaultdict(lambda: defaultdict(lambda: {"x": [], "y": []}))

    def report_scalar(self, title, series, value, iteration):
        self.s[title][series]["x"].append(iteration)
        self.s[title][series]["y"].append(float(value))

    def dump(self, path):
        with open(path, "w") as f:
            json.dump(self.s, f)


class DAE(nn.Module):
    def __init__(self, bottleneck=16):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(64, 128), nn.ELU(), nn.Linear(128, bottleneck))
        self.dec = nn.Sequential(nn.ELU(), nn.Linear(bottleneck, 128), nn.ELU(), nn.Linear(128, 64))

    def forward(self, x):
        return self.dec(self.enc(x))


torch.set_num_threads(1)
torch.manual_seed(71)
X = load_digits().data.astype(np.float32) / 16.0
rng = np.random.default_rng(71)
rng.shuffle(X)
xtr, xva = torch.tensor(X[:1500]), torch.tensor(X[1500:])
ae = DAE()
opt = torch.optim.Adam(ae.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[18, 28], gamma=0.3)
rep = Reporter()
it = 0
for epoch in range(35):
    ae.train()
    for b in torch.randperm(len(xtr)).split(50):
        clean = xtr[b]
        noisy = clean + 0.1 * torch.randn_like(clean)
        loss = nn.functional.mse_loss(ae(noisy), clean)
        opt.zero_grad()
        loss.backward()
        opt.step()
        it += 1
        if it % 10 == 0:
            rep.report_scalar("loss", "train", loss.item(), it)
            rep.report_scalar("lr", "lr", opt.param_groups[0]["lr"], it)
    sched.step()
    ae.eval()
    with torch.no_grad():
        vm = nn.functional.mse_loss(ae(xva), xva).item()
    rep.report_scalar("loss", "validation", vm, it)
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1} iter {it}: train mse {loss.item():.5f} val mse {vm:.5f}")

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
rep.dump(os.path.join(log_dir, "clearml_scalars.json"))
with torch.no_grad():
    tm = nn.functional.mse_loss(ae(xtr), xtr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5), "target_var": round(xva.var().item(), 5),
                                     "train_loss": round(tm, 5), "val_loss": round(vm, 5)}))
