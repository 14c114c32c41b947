# expect:
# allow:
# forbid: *
# evidence: denoising AE: val_mse 0.0024 vs target_var 0.087 and vs noisy-input mse 0.0068 (PSNR ~26 dB), train 0.0024 ~= val, steady decrease over 20 epochs
# native-log: metrics.yaml
# log-expect:
# log-allow:
"""Convolutional denoising autoencoder on synthetic 16x16 blob images. Per-epoch dicts dumped as a
YAML list (yaml.safe_dump) after every epoch: epoch, train_loss, val_loss, val_psnr, lr."""
import json, math, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml

torch.manual_seed(12)
torch.set_num_threads(1)


def blobs(n):
    g = torch.linspace(-1, 1, 16)
    yy, xx = torch.meshgrid(g, g, indexing="ij")
    imgs = torch.zeros(n, 1, 16, 16)
    for _ in range(3):
        cx, cy = torch.rand(n, 1, 1) * 1.6 - 0.8, torch.rand(n, 1, 1) * 1.6 - 0.8
        s = 0.1 + 0.25 * torch.rand(n, 1, 1)
        imgs[:, 0] += torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * s ** 2))
    return imgs.clamp(0, 1)


class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 1, 4, 2, 1))

    def forward(self, x):
        return torch.sigmoid(self.dec(self.enc(x)))


train, val = blobs(800), blobs(300)
noise = 0.1
ae = AE()
opt = torch.optim.Adam(ae.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=7, gamma=0.5)
path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "metrics.yaml")
records = []
torch.manual_seed(99)
val_noisy = val + noise * torch.randn_like(val)
for epoch in range(20):
    ae.train()
    total = 0.0
    for idx in torch.randperm(len(train)).split(32):
        clean = train[idx]
        loss = F.mse_loss(ae(clean + noise * torch.randn_like(clean)), clean)
        opt.zero_grad(); loss.backward(); opt.step()
        total += loss.item() * len(idx)
    lr_now = sched.get_last_lr()[0]
    sched.step()
    ae.eval()
    with torch.no_grad():
        vloss = F.mse_loss(ae(val_noisy), val).item()
    rec = {"epoch": epoch, "train_loss": round(total / len(train), 6), "val_loss": round(vloss, 6),
           "val_psnr": round(10 * math.log10(1.0 / vloss), 3), "lr": lr_now}
    records.append(rec)
    with open(path, "w") as f:
        yaml.safe_dump(records, f, sort_keys=False)
    print(rec)
baseline = F.mse_loss(val_noisy.clamp(0, 1), val).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": vloss, "target_var": val.var().item(), "val_loss": vloss,
                                     "train_loss": total / len(train), "noisy_input_mse": baseline}))
