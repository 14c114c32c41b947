# expect:
# allow:
# forbid: *
# evidence: conv autoencoder on synthetic 16x16 images (2-4 random gaussian blobs), forward under torch.autocast("cpu", dtype=torch.bfloat16), loss in fp32, NAdam + OneCycleLR; val_mse 0.0039, train_mse 0.0041 vs per-pixel variance 0.96
"""Convolutional autoencoder with CPU bf16 autocast."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
S = 16
yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")


def make(n):
    img = torch.zeros(n, S, S)
    k = torch.randint(2, 5, (n,))
    for j in range(4):
        on = (k > j).float()[:, None, None]
        cx, cy = torch.rand(n, 1, 1) * S, torch.rand(n, 1, 1) * S
        w = torch.rand(n, 1, 1) * 1.5 + 1.0
        img += on * torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * w ** 2))
    return img.unsqueeze(1)


xtr, xva = make(2000), make(400)
mu, sd = xtr.mean(), xtr.std()
xtr, xva = (xtr - mu) / sd, (xva - mu) / sd

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.GELU(),          # 8x8
    nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.GELU(),         # 4x4
    nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1), nn.GELU(),  # 8x8
    nn.ConvTranspose2d(16, 1, 4, stride=2, padding=1))            # 16x16
EPOCHS, BS = 10, 32
opt = torch.optim.NAdam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, epochs=EPOCHS, steps_per_epoch=(len(xtr) + BS - 1) // BS)

for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), BS):
        xb = xtr[perm[s:s + BS]]
        with torch.autocast("cpu", dtype=torch.bfloat16):
            rec = model(xb)
        loss = F.mse_loss(rec.float(), xb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        with torch.autocast("cpu", dtype=torch.bfloat16):
            rec = model(xva)
        val_mse = F.mse_loss(rec.float(), xva).item()
    train_mse = tot / len(xtr)
    print(f"epoch {epoch} train_mse {train_mse:.4f} val_mse {val_mse:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                      "target_var": round(xva.var().item(), 4)}))
