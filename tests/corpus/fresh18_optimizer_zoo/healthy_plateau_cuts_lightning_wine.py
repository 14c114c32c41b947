"""Lightning MLP on wine. configure_optimizers returns Adam + ReduceLROnPlateau on val_loss
(dict with monitor). The run converges early; the scheduler then cuts the lr several times
late in training while nothing is wrong. CSVLogger + LearningRateMonitor."""
# expect:
# allow:
# forbid: *
# evidence: Adam 1e-2 + ReduceLROnPlateau(factor 0.3, patience 2, abs threshold 5e-3): val_acc 1.0 from epoch ~7, val_loss 0.12 (ep3) -> 0.025 (ep11) -> 0.0185 final; lr cut 5 times from epoch 16 on (1e-2 -> 2.4e-5) in a converged run; train_loss 0.0075
# native-log: plateau_wine
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
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
L.seed_everything(0, verbose=False)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
tr_ds = TensorDataset(torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(ytr))
va_ds = TensorDataset(torch.tensor(sc.transform(Xva), dtype=torch.float32), torch.tensor(yva))

class WineNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 3))
    def training_step(self, batch, _):
        x, t = batch; loss = F.cross_entropy(self.net(x), t)
        self.log("train_loss", loss, on_step=False, on_epoch=True); return loss
    def validation_step(self, batch, _):
        x, t = batch; out = self.net(x)
        self.log("val_loss", F.cross_entropy(out, t), on_epoch=True)
        self.log("val_acc", (out.argmax(1) == t).float().mean(), on_epoch=True)
    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-2)
        sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.3, patience=2, threshold=5e-3, threshold_mode="abs")
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sch, "monitor": "val_loss", "interval": "epoch"}}

model = WineNet()
trainer = L.Trainer(max_epochs=30, logger=CSVLogger(LOG_DIR, name="plateau_wine", version=0),
                    callbacks=[LearningRateMonitor(logging_interval="epoch")], enable_progress_bar=False,
                    enable_model_summary=False, enable_checkpointing=False, accelerator="cpu", devices=1)
trainer.fit(model, DataLoader(tr_ds, batch_size=32, shuffle=True), DataLoader(va_ds, batch_size=64))
model.eval()
with torch.no_grad():
    xt, tt = va_ds.tensors; out = model.net(xt)
    vl = F.cross_entropy(out, tt).item(); va = (out.argmax(1) == tt).float().mean().item()
    xtr, ttr = tr_ds.tensors; trl = F.cross_entropy(model.net(xtr), ttr).item()
lr_final = trainer.optimizers[0].param_groups[0]["lr"]
print(f"final lr {lr_final:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.4, "final_lr": lr_final}))
