# expect:
# allow:
# forbid: *
# evidence: healthy 4-class MLP; best checkpoint val_acc 0.911 (chance 0.25), val_loss 0.24, train_loss 0.13; 18 epochs, ~10 s CPU
# native-log: pl_mlp/version_0/metrics.csv
# log-expect:
# log-allow:
"""Lightning MLP on a 4-class synthetic teacher task with EarlyStopping, ModelCheckpoint,
LearningRateMonitor and a CSVLogger; logs on_step and on_epoch."""
import os, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import torch
from torch import nn
from torch.utils.data import TensorDataset, DataLoader
import lightning as L
from lightning.pytorch.callbacks import EarlyStopping, ModelCheckpoint, LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
L.seed_everything(7, verbose=False)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()


def make_data(n, g):
    x = torch.randn(n, 20, generator=g)
    w = torch.randn(20, 4, generator=torch.Generator().manual_seed(123))
    y = (torch.tanh(x @ w) + 0.3 * x[:, :4]).argmax(1)
    return x, y


class Classifier(L.LightningModule):
    def __init__(self, hidden=64, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(20, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 4))

    def forward(self, x):
        return self.net(x)

    def _shared(self, batch):
        x, y = batch
        logits = self(x)
        loss = nn.functional.cross_entropy(logits, y)
        acc = (logits.argmax(1) == y).float().mean()
        return loss, acc

    def training_step(self, batch, batch_idx):
        loss, acc = self._shared(batch)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", acc, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        loss, acc = self._shared(batch)
        self.log("val_loss", loss, on_epoch=True, prog_bar=True)
        self.log("val_acc", acc, on_epoch=True)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


g = torch.Generator().manual_seed(0)
xtr, ytr = make_data(6000, g)
xva, yva = make_data(1000, g)
train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
val_dl = DataLoader(TensorDataset(xva, yva), batch_size=500)

model = Classifier()
ckpt_dir = tempfile.mkdtemp()
trainer = L.Trainer(
    max_epochs=18,
    accelerator="cpu",
    logger=CSVLogger(LOG_DIR, name="pl_mlp", version=0),
    callbacks=[EarlyStopping(monitor="val_loss", patience=5, mode="min"),
               ModelCheckpoint(dirpath=ckpt_dir, monitor="val_loss", save_top_k=1),
               LearningRateMonitor(logging_interval="epoch")],
    enable_progress_bar=False, enable_model_summary=False, log_every_n_steps=10,
)
trainer.fit(model, train_dl, val_dl)

best = Classifier.load_from_checkpoint(trainer.checkpoint_callback.best_model_path)
best.eval()
with torch.no_grad():
    lv = best(xva); lt = best(xtr)
    res = {"val_loss": nn.functional.cross_entropy(lv, yva).item(),
           "val_acc": (lv.argmax(1) == yva).float().mean().item(),
           "train_loss": nn.functional.cross_entropy(lt, ytr).item(),
           "chance_acc": 0.25, "epochs_run": trainer.current_epoch}
print("CORPUS_METRIC " + json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in res.items()}))
