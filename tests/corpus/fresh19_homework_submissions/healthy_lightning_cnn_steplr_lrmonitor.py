# expect:
# allow:
# forbid: *
# evidence: healthy: SGD 0.05 mom 0.9, StepLR(5, 0.3), BatchNorm CNN, 12 ep; val_loss 0.043 (ep6) -> 0.037 flat from ep7 while train loss -> 0.0022; val_acc 0.987 on 397 held-out digits (chance 0.10)
# native-log: lightning_logs/digits_cnn/metrics.csv
# log-expect:
# log-allow:
# Final project warm-up (Lightning): tiny CNN on 8x8 digits with SGD+momentum and StepLR, LR logged.
import os
import json
import tempfile
import warnings
import logging
import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split
import lightning as L
from lightning.pytorch.callbacks import LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger
from sklearn.datasets import load_digits

warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
torch.set_num_threads(1)
L.seed_everything(99, verbose=False)
save_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "lightning_logs")

d = load_digits()
images = torch.tensor(d.images, dtype=torch.float32).unsqueeze(1) / 16.0
images = (images - images.mean()) / images.std()
full = TensorDataset(images, torch.tensor(d.target))
train_set, val_set = random_split(full, [1400, len(full) - 1400], generator=torch.Generator().manual_seed(0))


class LitCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.head = nn.Linear(16 * 16, 10)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))

    def training_step(self, batch, _):
        x, y = batch
        out = self(x)
        loss = F.cross_entropy(out, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (out.argmax(-1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        out = self(x)
        self.log("val_loss", F.cross_entropy(out, y))
        self.log("val_acc", (out.argmax(-1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=0.05, momentum=0.9)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.3)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}

    def on_validation_epoch_end(self):
        if self.trainer.sanity_checking:
            return
        m = self.trainer.callback_metrics
        print("Epoch %d: val_loss %.4f, val_acc %.4f" % (self.current_epoch + 1, m["val_loss"], m["val_acc"]))


model = LitCNN()
trainer = L.Trainer(max_epochs=12, accelerator="cpu",
                    logger=CSVLogger(save_dir, name="digits_cnn", version=""),
                    callbacks=[LearningRateMonitor(logging_interval="epoch")],
                    log_every_n_steps=10, enable_progress_bar=False, enable_model_summary=False,
                    enable_checkpointing=False)
trainer.fit(model, DataLoader(train_set, batch_size=32, shuffle=True), DataLoader(val_set, batch_size=256))

model.eval()
xv = torch.stack([val_set[i][0] for i in range(len(val_set))])
yv = torch.stack([val_set[i][1] for i in range(len(val_set))])
with torch.no_grad():
    out = model(xv)
val_loss = F.cross_entropy(out, yv).item()
val_acc = (out.argmax(-1) == yv).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(float(trainer.callback_metrics["train_loss_epoch"]), 4),
                                     "chance_acc": 0.1}))
