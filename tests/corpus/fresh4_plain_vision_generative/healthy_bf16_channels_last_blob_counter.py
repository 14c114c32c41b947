# expect:
# allow:
# forbid: *
# evidence: counts 1-5 Gaussian blobs with val_acc 0.990, val_loss 0.159 (chance 0.20, majority 0.236); bf16 autocast + channels_last
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(1234)

SIZE = 20
MAX_BLOBS = 5
BATCH = 64
EPOCHS = 10
DEVICE_DTYPE = torch.bfloat16


def blob_images(n, g):
    """Images containing 1..MAX_BLOBS soft gaussian blobs at non-overlapping-ish positions."""
    counts = torch.randint(1, MAX_BLOBS + 1, (n,), generator=g)
    grid = torch.arange(SIZE).float()
    imgs = torch.zeros(n, SIZE, SIZE)
    for i in range(n):
        centres = []
        while len(centres) < counts[i]:
            c = 2 + (SIZE - 4) * torch.rand(2, generator=g)
            if all(((c - o) ** 2).sum() > 16 for o in centres):
                centres.append(c)
        for c in centres:
            s = 1.0 + 0.6 * torch.rand(1, generator=g)
            imgs[i] += torch.exp(-((grid[None, :] - c[0]) ** 2 + (grid[:, None] - c[1]) ** 2) / (2 * s * s))
    imgs += 0.1 * torch.randn(imgs.shape, generator=g)
    return imgs.unsqueeze(1), counts - 1


g = torch.Generator().manual_seed(0)
x_train, y_train = blob_images(2000, g)
x_val, y_val = blob_images(500, g)
x_train = x_train.contiguous(memory_format=torch.channels_last)
x_val = x_val.contiguous(memory_format=torch.channels_last)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
    nn.Conv2d(16, 32, 3, padding=1, stride=2), nn.BatchNorm2d(32), nn.ReLU(),
    nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(),          # sum-like pooling suits counting
    nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, MAX_BLOBS),
).to(memory_format=torch.channels_last)

optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS * (len(x_train) // BATCH))

t0 = time.time()
for epoch in range(EPOCHS):
    model.train()
    order = torch.randperm(len(x_train))
    running = 0.0
    nb = 0
    for start in range(0, len(x_train) - BATCH + 1, BATCH):
        idx = order[start:start + BATCH]
        with torch.autocast("cpu", dtype=DEVICE_DTYPE):
            logits = model(x_train[idx])
        loss = F.cross_entropy(logits.float(), y_train[idx])   # loss in fp32
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        running += loss.item()
        nb += 1
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=DEVICE_DTYPE):
        vlogits = model(x_val).float()
    val_loss = F.cross_entropy(vlogits, y_val).item()
    val_acc = (vlogits.argmax(1) == y_val).float().mean().item()
    print(f"[{time.time() - t0:5.1f}s] epoch {epoch + 1:2d} train_loss={running / nb:.4f} "
          f"val_loss={val_loss:.4f} val_acc={val_acc:.3f}")

majority = torch.bincount(y_val).max().item() / len(y_val)
print("CORPUS_METRIC " + json.dumps({"train_loss": round(running / nb, 4), "val_loss": round(val_loss, 4),
                                     "val_acc": round(val_acc, 4), "chance_acc": 1 / MAX_BLOBS,
                                     "majority_acc": round(majority, 4)}))
