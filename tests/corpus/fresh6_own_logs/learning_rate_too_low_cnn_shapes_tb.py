# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted SGD(momentum 0.9) lr=2e-4: train loss 1.39 -> 1.38 over 10 epochs (ln 4 = 1.386), test_acc 0.39 (chance 0.25); control lr=2e-2: test_acc 0.97, test_loss 0.09
# control: --control
# native-log: tb
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
"""Small CNN on synthetic shapes with SGD+momentum; TensorBoard tags Loss/train, Loss/test, Accuracy/test, lr. Planted: lr=2e-4 (control 2e-2)."""
import json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
LR = 2e-2 if "--control" in sys.argv else 2e-4

def make_shapes(n, g):
    S = 16
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    X = torch.zeros(n, 1, S, S)
    y = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        cy, cx = (torch.randint(4, 12, (2,), generator=g)).float()
        r = 2.0 + 2.0 * torch.rand(1, generator=g).item()
        d = ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt()
        c = y[i].item()
        if c == 0:
            img = ((yy - cy).abs() < 1) & ((xx - cx).abs() < r + 1) if torch.rand(1, generator=g) < 0.5 else ((xx - cx).abs() < 1) & ((yy - cy).abs() < r + 1)
        elif c == 1:
            img = (d < r + 0.8) & (d > r - 0.8)
        elif c == 2:
            img = d < r
        else:
            img = (((yy - cy).abs() < 0.8) & ((xx - cx).abs() < r)) | (((xx - cx).abs() < 0.8) & ((yy - cy).abs() < r))
        X[i, 0] = img.float()
    return X + 0.3 * torch.randn(X.shape, generator=g), y

g = torch.Generator().manual_seed(3)
xtr, ytr = make_shapes(1500, g)
xte, yte = make_shapes(400, g)
model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 4))
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))
step = 0
for epoch in range(10):
    model.train()
    perm = torch.randperm(len(xtr))
    tl, n = 0.0, 0
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); n += len(idx)
        if step % 10 == 0:
            writer.add_scalar("Loss/train", loss.item(), step)
            writer.add_scalar("lr", LR, step)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(xte)
        vl = F.cross_entropy(out, yte).item()
        va = (out.argmax(1) == yte).float().mean().item()
    writer.add_scalar("Loss/test", vl, step)
    writer.add_scalar("Accuracy/test", va, step)
    print(f"epoch {epoch} train {tl / n:.4f} test_loss {vl:.4f} test_acc {va:.3f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / n, 4), "chance_acc": 0.25, "lr": LR}))
