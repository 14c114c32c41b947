# expect:
# allow:
# forbid: *
# evidence: healthy: val pixel acc 0.960 vs all-background 0.793, val_loss 0.102, foreground mIoU 0.66; train_loss 0.090 (8 epochs, Adam+StepLR)
# native-log: tb
# log-expect:
# log-allow:
"""Healthy: Lightning tiny fully-convolutional segmenter (per-pixel CrossEntropy, 3 classes:
background / square / disk) on synthetic 16x16 noisy images; TensorBoardLogger, Adam + StepLR."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import lightning as L
from lightning.pytorch.loggers import TensorBoardLogger
from lightning.pytorch.callbacks import LearningRateMonitor
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
L.seed_everything(0, verbose=False)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
S = 16


def make(n, rng):
    X = np.zeros((n, 1, S, S), np.float32); Y = np.zeros((n, S, S), np.int64)
    yy, xx = np.mgrid[0:S, 0:S]
    for i in range(n):
        for _ in range(2):
            k = rng.integers(1, 3); cy, cx = rng.integers(3, S - 3, size=2); r = rng.integers(2, 4)
            if k == 1:
                m = (abs(yy - cy) <= r) & (abs(xx - cx) <= r)
            else:
                m = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
            X[i, 0][m] = 1.0; Y[i][m] = k
    X += 0.3 * rng.normal(size=X.shape).astype(np.float32)
    return torch.tensor(X), torch.tensor(Y)


rng = np.random.default_rng(0)
Xtr, Ytr = make(400, rng); Xva, Yva = make(200, rng)


class Seg(L.LightningModule):
    def __init__(self):
        super().__init__()
        c = 16
        self.net = nn.Sequential(nn.Conv2d(1, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
                                 nn.Conv2d(c, c, 3, padding=2, dilation=2), nn.BatchNorm2d(c), nn.ReLU(),
                                 nn.Conv2d(c, c, 3, padding=4, dilation=4), nn.BatchNorm2d(c), nn.ReLU(),
                                 nn.Conv2d(c, 3, 1))
        self.crit = nn.CrossEntropyLoss()

    def forward(self, x):
        return self.net(x)

    def training_step(self, b, i):
        x, y = b
        loss = self.crit(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, b, i):
        x, y = b
        out = self(x)
        self.log("val_loss", self.crit(out, y))
        self.log("val_pixel_acc", (out.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-2)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.3)]


model = Seg()
trainer = L.Trainer(max_epochs=8, accelerator="cpu", devices=1, logger=TensorBoardLogger(LOG_DIR, name="tb", version=""),
                    callbacks=[LearningRateMonitor("epoch")], enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, log_every_n_steps=5)
trainer.fit(model, DataLoader(TensorDataset(Xtr, Ytr), batch_size=32, shuffle=True),
            DataLoader(TensorDataset(Xva, Yva), batch_size=200))
model.eval()
with torch.no_grad():
    ov, ot = model(Xva), model(Xtr)
    pred = ov.argmax(1)
    ious = [float(((pred == k) & (Yva == k)).sum() / ((pred == k) | (Yva == k)).sum()) for k in (1, 2)]
    m = {"val_loss": float(nn.functional.cross_entropy(ov, Yva)), "val_pixel_acc": float((pred == Yva).float().mean()),
         "train_loss": float(nn.functional.cross_entropy(ot, Ytr)), "val_miou_fg": sum(ious) / 2,
         "chance_acc": float((Yva == 0).float().mean())}
print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in m.items()}))
