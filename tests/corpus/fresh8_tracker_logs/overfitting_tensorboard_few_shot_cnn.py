# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (8 images/class): train_loss 0.038 vs val_loss 0.92 (best 0.886), val_acc 0.637; control (120/class): val_loss 0.52 (best 0.435), val_acc 0.872 (chance 0.20), same model and 50 epochs
# control: --control
# native-log: lightning_logs_like/version_0
# log-expect: overfitting
# log-allow: high_variance
# CNN on noisy digit-like glyphs with only 8 training images per class (a "quick prototype"
# subset that never got switched back to the full set), 50 epochs of Adam. TensorBoard scalars
# via SummaryWriter: train_loss, val_loss, val_acc, test_acc (lower-case, Lightning-ish names).
import json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(6); torch.set_num_threads(1)
PER_CLASS = 120 if "--control" in sys.argv else 8

glyphs = (torch.rand(5, 8, 8) > 0.55).float()        # 5 random 8x8 glyph prototypes
def render(n_per):
    y = torch.arange(5).repeat_interleave(n_per)
    img = glyphs[y].clone()
    sh = torch.randint(-1, 2, (len(y), 2))
    for i in range(len(y)):
        img[i] = torch.roll(img[i], (sh[i, 0].item(), sh[i, 1].item()), (0, 1))
    img = img + 0.6 * torch.randn_like(img)
    return img.unsqueeze(1), y
xtr, ytr = render(PER_CLASS)
xva, yva = render(120)

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(16 * 16, 64), nn.ReLU(), nn.Linear(64, 5))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
writer = SummaryWriter(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "lightning_logs_like", "version_0"))
step = 0
best = 9.9
for epoch in range(50):
    model.train()
    for b in torch.randperm(len(xtr)).split(32):
        loss = F.cross_entropy(model(xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
    model.eval()
    with torch.no_grad():
        tl = F.cross_entropy(model(xtr), ytr).item()
        o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    best = min(best, vl)
    writer.add_scalar("train_loss", tl, step)
    writer.add_scalar("val_loss", vl, step)
    writer.add_scalar("val_acc", va, step)
    writer.add_scalar("epoch", epoch, step)
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1}: train_loss {tl:.4f} val_loss {vl:.4f} (best {best:.4f}) val_acc {va:.3f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.2, "best_val_loss": best}))
