"""Lightning CNN on digits, NAdam + OneCycleLR with an unusual pct_start=0.8: the lr keeps rising for
80% of training (loss flattens / wobbles while lr is high), then anneals sharply and the loss drops.
configure_optimizers returns the scheduler dict with interval='step'. CSVLogger + LearningRateMonitor."""
# expect:
# allow:
# forbid: *
# evidence: NAdam + OneCycleLR(max 4e-3, pct_start 0.8): val_loss 2.22 -> 0.23 (ep3) -> 0.31 wobble at ep4 while lr still rising -> 0.093 after the late anneal; final val_acc 0.976 (chance 0.10), train_loss 0.040
# native-log: onecycle/version_0
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.callbacks import LearningRateMonitor
from torch.utils.data import TensorDataset, DataLoader
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
L.seed_everything(0, verbose=False)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)
tr_ds = TensorDataset(torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8), torch.tensor(ytr))
va_ds = TensorDataset(torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8), torch.tensor(yva))
EPOCHS, BS = 8, 64
STEPS = EPOCHS * ((len(tr_ds) + BS - 1) // BS)

class CNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(32 * 16, 10))
    def training_step(self, b, _):
        x, t = b; loss = F.cross_entropy(self.net(x), t)
        self.log("train_loss", loss, on_step=True, on_epoch=True); return loss
    def validation_step(self, b, _):
        x, t = b; out = self.net(x)
        self.log("val_loss", F.cross_entropy(out, t)); self.log("val_acc", (out.argmax(1) == t).float().mean())
    def configure_optimizers(self):
        opt = torch.optim.NAdam(self.parameters(), lr=1e-3, weight_decay=1e-4)
        sch = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=STEPS, pct_start=0.8, div_factor=20, final_div_factor=200)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sch, "interval": "step"}}

model = CNN()
trainer = L.Trainer(max_epochs=EPOCHS, logger=CSVLogger(LOG_DIR, name="onecycle", version=0), log_every_n_steps=5,
                    callbacks=[LearningRateMonitor(logging_interval="step")], enable_progress_bar=False,
                    enable_model_summary=False, enable_checkpointing=False, accelerator="cpu", devices=1)
trainer.fit(model, DataLoader(tr_ds, batch_size=BS, shuffle=True), DataLoader(va_ds, batch_size=256))
model.eval()
with torch.no_grad():
    out = model.net(va_ds.tensors[0]); vl = F.cross_entropy(out, va_ds.tensors[1]).item(); va = (out.argmax(1) == va_ds.tensors[1]).float().mean().item()
    trl = F.cross_entropy(model.net(tr_ds.tensors[0]), tr_ds.tensors[1]).item()
print(f"val_loss {vl:.4f} val_acc {va:.3f} train_loss {trl:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.1}))
