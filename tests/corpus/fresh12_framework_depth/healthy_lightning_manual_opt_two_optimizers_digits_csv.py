"""Lightning manual optimisation: a conv body on AdamW and a linear head on SGD+momentum,
each with its own scheduler, stepped by hand in training_step; CSVLogger with on_step+on_epoch."""
# expect:
# allow:
# forbid: *
# evidence: digits 8x8 (10 classes, chance 0.10); after 6 epochs val_acc ~0.96, val_loss ~0.15, train_loss ~0.09 (see CORPUS_METRIC)
# native-log: csv/version_0/metrics.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings, logging
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.5
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
t = lambda a, d=torch.float32: torch.tensor(a, dtype=d)
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(t(Xtr).view(-1, 1, 8, 8), t(ytr, torch.long)), batch_size=32, shuffle=True)
val_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(t(Xva).view(-1, 1, 8, 8), t(yva, torch.long)), batch_size=256)


class TwoOptNet(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.automatic_optimization = False
        self.body = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten())
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        return self.head(self.body(x))

    def training_step(self, batch, idx):
        opt_body, opt_head = self.optimizers()
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        opt_body.zero_grad(); opt_head.zero_grad()
        self.manual_backward(loss)
        opt_body.step(); opt_head.step()
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        if self.trainer.is_last_batch:
            for s in self.lr_schedulers():
                s.step()
        return loss

    def validation_step(self, batch, idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), on_epoch=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True)

    def configure_optimizers(self):
        ob = torch.optim.AdamW(self.body.parameters(), lr=3e-3, weight_decay=1e-4)
        oh = torch.optim.SGD(self.head.parameters(), lr=0.05, momentum=0.9)
        sb = torch.optim.lr_scheduler.CosineAnnealingLR(ob, T_max=6)
        sh = torch.optim.lr_scheduler.CosineAnnealingLR(oh, T_max=6)
        return [ob, oh], [sb, sh]


model = TwoOptNet()
trainer = pl.Trainer(max_epochs=6, accelerator="cpu", devices=1, logger=CSVLogger(LOG_DIR, name="csv", version=0),
                     enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                     num_sanity_val_steps=0, log_every_n_steps=5)
trainer.fit(model, train_dl, val_dl)
model.eval()
with torch.no_grad():
    xv, yv = val_dl.dataset.tensors
    lv = model(xv); vl = F.cross_entropy(lv, yv).item(); va = (lv.argmax(1) == yv).float().mean().item()
    xt, yt = train_dl.dataset.tensors
    tl = F.cross_entropy(model(xt), yt).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
