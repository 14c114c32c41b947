# expect:
# allow:
# forbid: *
# evidence: healthy: Adam 1e-2, early stopping (patience 5) stops at epoch 22, train_loss 0.029, val_loss 0.032, val_acc 0.992 on 500 held-out points (noise 0.15 moons, chance 0.5)
# native-log: moons/version_0/metrics.csv
# log-expect:
# log-allow:
# HW6 (Lightning): two-moons classifier with early stopping on val_loss
import os, sys, json, tempfile, logging, warnings
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.callbacks import EarlyStopping
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset
from sklearn.datasets import make_moons

warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.WARNING)
torch.set_num_threads(1)
L.seed_everything(11, verbose=False)
LOGS = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

X, y = make_moons(n_samples=1500, noise=0.15, random_state=0)
X = X.astype(np.float32)
X = (X - X[:1000].mean(0)) / X[:1000].std(0)
train = TensorDataset(torch.tensor(X[:1000]), torch.tensor(y[:1000], dtype=torch.float32))
val = TensorDataset(torch.tensor(X[1000:]), torch.tensor(y[1000:], dtype=torch.float32))

class MoonNet(L.LightningModule):
    def __init__(self, hidden=32, lr=1e-2):
        super().__init__()
        self.save_hyperparameters()
        self.model = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x):
        return self.model(x).squeeze(-1)

    def _shared(self, batch):
        x, y = batch
        logit = self(x)
        loss = F.binary_cross_entropy_with_logits(logit, y)
        acc = ((logit > 0).float() == y).float().mean()
        return loss, acc

    def training_step(self, batch, batch_idx):
        loss, acc = self._shared(batch)
        self.log_dict({"train_loss": loss, "train_acc": acc}, on_epoch=True, on_step=False)
        return loss

    def validation_step(self, batch, batch_idx):
        loss, acc = self._shared(batch)
        self.log_dict({"val_loss": loss, "val_acc": acc}, prog_bar=True)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)

    def on_train_epoch_end(self):
        m = self.trainer.callback_metrics
        print(f"epoch {self.current_epoch}: train_loss={m['train_loss']:.4f} val_loss={m['val_loss']:.4f} val_acc={m['val_acc']:.3f}")

net = MoonNet()
trainer = L.Trainer(max_epochs=40, logger=CSVLogger(LOGS, name="moons", version=0),
                    callbacks=[EarlyStopping(monitor="val_loss", patience=5, mode="min")],
                    enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                    log_every_n_steps=5, accelerator="cpu")
trainer.fit(net, DataLoader(train, batch_size=50, shuffle=True), DataLoader(val, batch_size=500))

net.eval()
with torch.no_grad():
    xv, yv = val.tensors
    lv = net(xv)
    vloss = F.binary_cross_entropy_with_logits(lv, yv).item()
    vacc = ((lv > 0).float() == yv).float().mean().item()
print("stopped at epoch", trainer.current_epoch, "val acc", vacc)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(float(trainer.callback_metrics["train_loss"]), 4),
                                     "chance_acc": 0.5}))
