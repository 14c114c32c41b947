"""PyTorch Lightning, tiny U-Net trained with a pure soft-Dice loss on sparse
thin bars (~6% foreground). The Dice loss sits near 1 for the first epochs
(the net first has to find the rare foreground) and only then drops. Logged
with Lightning's CSVLogger."""
# expect:
# allow:
# forbid: *
# evidence: fg 4.5% of pixels; soft-Dice val loss sits at 0.93-0.84 for epochs 0-3 with hard dice 0.000 (bias prior -2), then drops; by epoch 12 val_dice 0.841 (best 0.889 at epoch 11), val_miou 0.857; soft Dice loss ends ~0.49 because sigmoid outputs are not saturated, train 0.486 ~ val 0.494 (no gap)
# native-log: lit_dice/version_0/metrics.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
warnings.filterwarnings("ignore"); logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)

torch.manual_seed(8); np.random.seed(8); random.seed(8)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
H = 24
def make(n, rng):
    x = rng.normal(0, 0.5, (n, 1, H, H)).astype(np.float32); m = np.zeros((n, 1, H, H), np.float32)
    for i in range(n):
        for _ in range(rng.integers(1, 3)):
            if rng.random() < 0.5:
                r, c0 = rng.integers(1, H - 2), rng.integers(0, H - 12); m[i, 0, r:r + 2, c0:c0 + rng.integers(6, 12)] = 1
            else:
                c, r0 = rng.integers(1, H - 2), rng.integers(0, H - 12); m[i, 0, r0:r0 + rng.integers(6, 12), c:c + 2] = 1
        x[i, 0] += 1.0 * m[i, 0]
    return torch.tensor(x), torch.tensor(m)
rng = np.random.default_rng(8)
xtr, mtr = make(192, rng); xva, mva = make(96, rng)

def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU())
def soft_dice_loss(logits, m, eps=1.0):
    p = torch.sigmoid(logits); dims = (1, 2, 3)
    return (1 - (2 * (p * m).sum(dims) + eps) / (p.sum(dims) + m.sum(dims) + eps)).mean()

class LitUNet(L.LightningModule):
    def __init__(self, c=8):
        super().__init__()
        self.e1, self.e2 = block(1, c), block(c, 2 * c)
        self.up = nn.ConvTranspose2d(2 * c, c, 2, stride=2); self.d1 = block(2 * c, c); self.out = nn.Conv2d(c, 1, 1)
        nn.init.constant_(self.out.bias, -2.0)   # start from 'mostly background', as a prior
    def forward(self, x):
        a = self.e1(x); b = self.e2(F.max_pool2d(a, 2))
        return self.out(self.d1(torch.cat([self.up(b), a], 1)))
    def training_step(self, batch, _):
        x, m = batch; loss = soft_dice_loss(self(x), m)
        self.log("train_dice_loss", loss, on_step=False, on_epoch=True); return loss
    def validation_step(self, batch, _):
        x, m = batch; lo = self(x); p = (lo > 0).float(); inter = (p * m).sum()
        iou_fg = inter / ((p + m) > 0).float().sum().clamp(min=1)
        iou_bg = ((1 - p) * (1 - m)).sum() / (((1 - p) + (1 - m)) > 0).float().sum()
        self.log("val_dice_loss", soft_dice_loss(lo, m)); self.log("val_dice", 2 * inter / (p.sum() + m.sum()).clamp(min=1))
        self.log("val_miou", (iou_fg + iou_bg) / 2)
    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=2e-3)

dl = lambda x, m, sh: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, m), batch_size=32 if sh else 96, shuffle=sh)
model = LitUNet()
trainer = L.Trainer(max_epochs=13, logger=CSVLogger(LOG_DIR, name="lit_dice", version=0), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1, log_every_n_steps=4)
trainer.fit(model, dl(xtr, mtr, True), dl(xva, mva, False))
import csv
rows = list(csv.DictReader(open(os.path.join(LOG_DIR, "lit_dice", "version_0", "metrics.csv"))))
for row in rows:
    if row.get("val_dice"):
        print(f"epoch {row['epoch']} val_dice_loss {float(row['val_dice_loss']):.3f} val_dice {float(row['val_dice']):.3f} val_miou {float(row['val_miou']):.3f}")
print(f"foreground fraction {mva.mean():.3f}")
r = trainer.callback_metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(r["val_dice_loss"]), 4), "dice": round(float(r["val_dice"]), 4),
      "miou": round(float(r["val_miou"]), 4), "train_loss": round(float(r["train_dice_loss"]), 4)}))
