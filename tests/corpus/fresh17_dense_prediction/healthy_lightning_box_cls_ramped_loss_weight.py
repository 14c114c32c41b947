"""PyTorch Lightning single-object detector on synthetic images: CNN trunk with a
box head (cx, cy, w, h via sigmoid; L1 + (1 - IoU)) and a 3-way class head (CE).
The total loss is cls + lambda(t) * box, with lambda ramped linearly from 0.2 to
3.0 over training (a common curriculum). Because of the ramp the logged *total*
loss goes UP in later epochs while both parts and all metrics improve. CSVLogger."""
# expect:
# allow:
# forbid: *
# evidence: box weight ramps 0.2 -> 3.0, so the weighted val_loss rises 0.733 -> 1.239 (train total rises alongside, 1.17 at the end) while its parts fall: val box loss 0.714 -> 0.376, val cls loss 0.707 -> 0.110; held-out mean_iou 0.396 -> 0.665, recall@iou0.5 0.277 -> 0.910, cls_acc 0.664 -> 0.984 (chance 0.333). Box metrics wobble (epoch 6 dip) but trend up
# native-log: det/version_0/metrics.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings, logging, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
warnings.filterwarnings("ignore"); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)

torch.manual_seed(18); np.random.seed(18); random.seed(18)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
H = 16
yy, xx = np.mgrid[0:H, 0:H]
def make(n, rng):
    x = rng.normal(0, 0.3, (n, 1, H, H)).astype(np.float32); box = np.zeros((n, 4), np.float32); cls = np.zeros(n, np.int64)
    for i in range(n):
        w, h = rng.integers(4, 10, 2); x0, y0 = rng.integers(0, H - w + 1), rng.integers(0, H - h + 1); c = rng.integers(0, 3); cls[i] = c
        inside = (xx >= x0) & (xx < x0 + w) & (yy >= y0) & (yy < y0 + h)
        if c == 1: inside &= ((xx - (x0 + w / 2 - .5)) / (w / 2)) ** 2 + ((yy - (y0 + h / 2 - .5)) / (h / 2)) ** 2 <= 1
        if c == 2: inside &= (abs(xx - (x0 + w // 2)) <= 1) | (abs(yy - (y0 + h // 2)) <= 1)
        x[i, 0][inside] += (0.7, 1.2, 1.8)[c]
        box[i] = [(x0 + w / 2) / H, (y0 + h / 2) / H, w / H, h / H]
    return torch.tensor(x), torch.tensor(box), torch.tensor(cls)
rng = np.random.default_rng(18)
xtr, btr, ctr = make(640, rng); xva, bva, cva = make(256, rng)
def iou(a, b):
    a1, a2 = a[:, :2] - a[:, 2:] / 2, a[:, :2] + a[:, 2:] / 2; b1, b2 = b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2
    inter = (torch.min(a2, b2) - torch.max(a1, b1)).clamp(min=0).prod(1)
    return inter / (a[:, 2:].prod(1) + b[:, 2:].prod(1) - inter + 1e-7)
EPOCHS = 10
class Det(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                                   nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                   nn.Linear(32 * 16, 64), nn.ReLU())
        self.box, self.cls = nn.Linear(64, 4), nn.Linear(64, 3)
    def forward(self, x):
        f = self.trunk(x); return torch.sigmoid(self.box(f)), self.cls(f)
    def lam(self): return 0.2 + 2.8 * self.current_epoch / (EPOCHS - 1)
    def parts(self, b):
        pb, pc = self(b[0]); mi = iou(pb, b[1])
        return F.l1_loss(pb, b[1]) + (1 - mi).mean(), F.cross_entropy(pc, b[2]), mi, pc
    def training_step(self, b, _):
        lb, lc, _, _ = self.parts(b); loss = lc + self.lam() * lb
        self.log_dict({"train_loss": loss, "train_box_loss": lb, "train_cls_loss": lc}, on_step=False, on_epoch=True)
        self.log("box_weight", self.lam(), on_step=False, on_epoch=True); return loss
    def validation_step(self, b, _):
        lb, lc, mi, pc = self.parts(b)
        self.log_dict({"val_loss": lc + self.lam() * lb, "val_box_loss": lb, "val_cls_loss": lc, "val_mean_iou": mi.mean(),
                       "val_recall_iou50": (mi > 0.5).float().mean(), "val_cls_acc": (pc.argmax(1) == b[2]).float().mean()})
    def configure_optimizers(self): return torch.optim.Adam(self.parameters(), lr=2e-3)
dl = lambda *t, sh: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*t), batch_size=32 if sh else 256, shuffle=sh)
model = Det()
trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(LOG_DIR, name="det", version=0), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1, log_every_n_steps=8)
trainer.fit(model, dl(xtr, btr, ctr, sh=True), dl(xva, bva, cva, sh=False))
for r in csv.DictReader(open(os.path.join(LOG_DIR, "det", "version_0", "metrics.csv"))):
    if r.get("val_loss"):
        print(f"epoch {r['epoch']} val_loss {float(r['val_loss']):.3f} box {float(r['val_box_loss']):.3f} cls {float(r['val_cls_loss']):.3f} "
              f"mean_iou {float(r['val_mean_iou']):.3f} recall@iou50 {float(r['val_recall_iou50']):.3f} cls_acc {float(r['val_cls_acc']):.3f}")
m = trainer.callback_metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(m["val_loss"]), 4), "val_box_loss": round(float(m["val_box_loss"]), 4),
      "val_cls_loss": round(float(m["val_cls_loss"]), 4), "mean_iou": round(float(m["val_mean_iou"]), 4),
      "recall@iou0.5": round(float(m["val_recall_iou50"]), 4), "cls_acc": round(float(m["val_cls_acc"]), 4), "chance_cls_acc": 0.333,
      "train_loss": round(float(m["train_loss"]), 4)}))
