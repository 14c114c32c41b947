"""PyTorch Lightning tiny U-Net, BCE + Dice on synthetic blobs with batch size 4,
so the per-step training loss (logged every step to TensorBoard via Lightning's
TensorBoardLogger) is noisy: within any 50-step window it spans ~1.4-1.7x
(small or faint objects make some batches much harder). Epoch-level val metrics
improve steadily."""
# expect:
# allow:
# forbid: *
# evidence: 300 logged steps; per-50-step windows of train/loss_step span e.g. 0.507..0.821 and 0.340..0.592 while the window medians fall 1.267 -> 0.438; held-out val_loss 1.120 -> 0.432 every epoch, val_iou 0.706 -> 0.809, val_dice 0.895; train epoch loss 0.453 ~ val
# native-log: tb_lit
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import TensorBoardLogger
warnings.filterwarnings("ignore"); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)

torch.manual_seed(23); np.random.seed(23); random.seed(23)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
H = 16
yy, xx = np.mgrid[0:H, 0:H]
def make(n, rng):
    x = rng.normal(0, 0.4, (n, 1, H, H)).astype(np.float32); m = np.zeros_like(x)
    for i in range(n):
        cx, cy = rng.uniform(3, H - 3, 2); a, b = rng.uniform(1.2, 4.5, 2)
        m[i, 0][((xx - cx) / a) ** 2 + ((yy - cy) / b) ** 2 <= 1] = 1
        x[i, 0] += m[i, 0] * rng.uniform(0.5, 1.5)
    return torch.tensor(x), torch.tensor(m)
rng = np.random.default_rng(23)
xtr, mtr = make(200, rng); xva, mva = make(96, rng)
def block(i, o): return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.GroupNorm(4, o), nn.ReLU())
class Seg(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.e1, self.e2 = block(1, 8), block(8, 16)
        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2); self.d1 = block(16, 8); self.out = nn.Conv2d(8, 1, 1)
    def forward(self, x):
        a = self.e1(x); b = self.e2(F.max_pool2d(a, 2)); return self.out(self.d1(torch.cat([self.up(b), a], 1)))
    def loss(self, lo, m):
        p = torch.sigmoid(lo); dice = 1 - (2 * (p * m).sum() + 1) / (p.sum() + m.sum() + 1)
        return F.binary_cross_entropy_with_logits(lo, m) + dice
    def training_step(self, b, _):
        l = self.loss(self(b[0]), b[1]); self.log("train/loss", l, on_step=True, on_epoch=True); return l
    def validation_step(self, b, _):
        lo = self(b[0]); p = (lo > 0).float(); inter = (p * b[1]).sum()
        self.log("val/loss", self.loss(lo, b[1])); self.log("val/iou", inter / ((p + b[1]) > 0).float().sum())
        self.log("val/dice", 2 * inter / (p.sum() + b[1].sum()))
    def configure_optimizers(self): return torch.optim.Adam(self.parameters(), lr=1e-3)
dl = lambda x, m, sh: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, m), batch_size=4 if sh else 96, shuffle=sh)
model = Seg()
hist = []
class Keep(L.Callback):
    def on_validation_epoch_end(self, tr, pl):
        if not tr.sanity_checking: hist.append({k: float(v) for k, v in tr.callback_metrics.items()})
trainer = L.Trainer(max_epochs=6, logger=TensorBoardLogger(LOG_DIR, name="tb_lit", version=0), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1, log_every_n_steps=1,
                    callbacks=[Keep()])
trainer.fit(model, dl(xtr, mtr, True), dl(xva, mva, False))
for e, h in enumerate(hist):
    print(f"epoch {e} val_loss {h['val/loss']:.4f} val_iou {h['val/iou']:.3f} val_dice {h['val/dice']:.3f}")
m = trainer.callback_metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(m["val/loss"]), 4), "iou": round(float(m["val/iou"]), 4), "dice": round(float(m["val/dice"]), 4),
      "train_loss": round(float(m["train/loss_epoch"]), 4)}))
