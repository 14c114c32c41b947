"""PyTorch Lightning multi-label tagging: which of 4 shape types (disc, square,
cross, ring) appear in a noisy 20x20 image (one shape per quadrant, random quadrant). A big MLP (~0.5M params)
on the flattened pixels, BCEWithLogitsLoss, Adam, CSVLogger, no regularisation.
Planted: only 60 training images. --control trains the same model with the same
number of optimizer steps (225 vs 240, batch 16) on 1200 images."""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (60 images, 60 epochs x 4 steps): train_loss -> 9e-5, train f1_macro 1.000, while val_loss rises at every check 0.662 -> 0.938 -> 1.135 -> ... -> 1.289 and val f1_macro is 0.515; control (1200 images, 3 epochs x 75 steps, same model/optimizer/batch): val_loss 0.461 -> 0.442 -> 0.463, val f1_macro 0.728, train f1 0.981 / train_loss 0.20
# control: --control
# native-log: tags/version_0/metrics.csv
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from sklearn.metrics import f1_score
warnings.filterwarnings("ignore"); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)

torch.manual_seed(16); np.random.seed(16); random.seed(16)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
NTR = 1200 if CONTROL else 60
EPOCHS = 3 if CONTROL else 60                       # about the same number of optimizer steps (225 vs 240)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
H = 20
yy, xx = np.mgrid[-3:4, -3:4]
STAMPS = [(xx ** 2 + yy ** 2 <= 9), (abs(xx) <= 2) & (abs(yy) <= 2), (xx == 0) | (yy == 0), (xx ** 2 + yy ** 2 <= 10) & (xx ** 2 + yy ** 2 >= 4)]
def make(n, rng):
    x = rng.normal(0, 0.3, (n, H * H)).astype(np.float32).reshape(n, H, H); t = np.zeros((n, 4), np.float32)
    for i in range(n):
        slots = rng.permutation(4)                      # each present shape gets its own quadrant (+-1 px jitter)
        for s in range(4):
            if rng.random() < 0.4:
                t[i, s] = 1; cy, cx = 5 + 10 * (slots[s] // 2) + rng.integers(-1, 2), 5 + 10 * (slots[s] % 2) + rng.integers(-1, 2)
                x[i, cy - 3:cy + 4, cx - 3:cx + 4] += STAMPS[s] * 1.0
    return torch.tensor(x.reshape(n, -1)), torch.tensor(t)
rng = np.random.default_rng(16)
xva, tva = make(400, rng); xtr, ttr = make(NTR, rng)

class Tagger(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(H * H, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 4))
    def forward(self, x): return self.net(x)
    def training_step(self, b, _):
        loss = F.binary_cross_entropy_with_logits(self(b[0]), b[1]); self.log("train_loss", loss, on_step=False, on_epoch=True); return loss
    def validation_step(self, b, _):
        o = self(b[0]); self.log("val_loss", F.binary_cross_entropy_with_logits(o, b[1]))
        self.log("val_f1_macro", float(f1_score(b[1].numpy(), (o > 0).numpy(), average="macro", zero_division=0)))
    def configure_optimizers(self): return torch.optim.Adam(self.parameters(), lr=1e-3)

dl = lambda x, t, sh, b: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, t), batch_size=b, shuffle=sh)
model = Tagger()
trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(LOG_DIR, name="tags", version=0), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1, log_every_n_steps=2,
                    check_val_every_n_epoch=1 if CONTROL else 5)
trainer.fit(model, dl(xtr, ttr, True, 16), dl(xva, tva, False, 400))
import csv
rows = [r for r in csv.DictReader(open(os.path.join(LOG_DIR, "tags", "version_0", "metrics.csv"))) if r.get("val_loss")]
vls = [float(r["val_loss"]) for r in rows]
print("val_loss by validation: " + " ".join(f"{v:.3f}" for v in vls) + f" (min {min(vls):.3f})")
with torch.no_grad():
    tr_f1 = f1_score(ttr.numpy(), (model(xtr) > 0).numpy(), average="macro", zero_division=0)
r = trainer.callback_metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(r["val_loss"]), 4), "best_val_loss": round(min(vls), 4),
      "f1_macro": round(float(r["val_f1_macro"]), 4), "train_f1_macro": round(float(tr_f1), 4), "train_loss": round(float(r["train_loss"]), 5),
      "n_train": NTR}))
