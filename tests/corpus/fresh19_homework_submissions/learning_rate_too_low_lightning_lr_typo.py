# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (Adam lr=1e-7, typo for 1e-3) val_loss 2.3063 -> 2.3057 in 15 epochs, train loss 2.298, val_acc 0.094 (chance 0.10); control (lr=1e-3) val_loss 1.77 -> 0.125, val_acc 0.975
# control: --control
# native-log: hw4/version_0/metrics.csv
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
# HW4 - same digits classifier as HW3 but written with PyTorch Lightning
import os, sys, json, tempfile, warnings, logging
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
torch.set_num_threads(1)
L.seed_everything(7, verbose=False)

LR = 1e-3 if "--control" in sys.argv else 1e-7   # learning rate
MAX_EPOCHS = 15
log_root = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2, random_state=1)
train_loader = DataLoader(TensorDataset(torch.from_numpy(X_tr), torch.from_numpy(y_tr)), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(X_va), torch.from_numpy(y_va)), batch_size=256)


class DigitClassifier(L.LightningModule):
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        acc = (logits.argmax(1) == y).float().mean()
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", acc, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), prog_bar=True)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


class PrintCallback(L.Callback):
    def on_validation_epoch_end(self, trainer, pl_module):
        if trainer.sanity_checking:
            return
        m = trainer.callback_metrics
        print(f"Epoch {trainer.current_epoch + 1}/{MAX_EPOCHS} - val_loss: {m['val_loss']:.4f} - val_acc: {m['val_acc']:.4f}")


model = DigitClassifier(LR)
trainer = L.Trainer(max_epochs=MAX_EPOCHS, accelerator="cpu", devices=1,
                    logger=CSVLogger(log_root, name="hw4", version=0), log_every_n_steps=10,
                    enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                    callbacks=[PrintCallback()])
trainer.fit(model, train_loader, val_loader)

tl = float(trainer.callback_metrics["train_loss_epoch"])
model.eval()
with torch.no_grad():
    logits = model(torch.from_numpy(X_va))
    yv = torch.from_numpy(y_va)
    vloss = F.cross_entropy(logits, yv).item()
    vacc = (logits.argmax(1) == yv).float().mean().item()
print("final val acc:", vacc)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(tl, 4), "chance_acc": 0.1}))
