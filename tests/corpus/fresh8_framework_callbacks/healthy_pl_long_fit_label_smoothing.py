# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 1.00 (chance 0.10), val_loss 0.056, train_loss 0.051 (OneCycle, label smoothing 0.05, 25 epochs)
# native-log: ls_run/version_0/metrics.csv
# log-expect:
# log-allow:
# Lightning, "train it long" recipe: 25 epochs of SGD+momentum with OneCycleLR and label smoothing
# 0.05 on a clean 10-class task; training loss goes to its label-smoothing floor, val follows.
import os, sys, json, tempfile, warnings, logging
from dataclasses import dataclass
warnings.filterwarnings("ignore"); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import torch, torch.nn as nn, torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.callbacks import LearningRateMonitor

@dataclass
class Cfg:
    epochs: int = 25
    batch: int = 100
    lr: float = 0.1
    smoothing: float = 0.05
    seed: int = 17
cfg = Cfg()
torch.set_num_threads(1); L.seed_everything(cfg.seed, verbose=False)
root = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

gen = torch.Generator().manual_seed(cfg.seed)
A = torch.randn(10, 32, generator=gen) * 1.6
def draw(n):
    y = torch.randint(0, 10, (n,), generator=gen)
    return A[y] + torch.randn(n, 32, generator=gen), y
Xtr, Ytr = draw(3000); Xva, Yva = draw(1000)

class Net(L.LightningModule):
    def __init__(self, c: Cfg):
        super().__init__(); self.c = c
        self.layers = nn.Sequential(nn.Linear(32, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10))
    def forward(self, x): return self.layers(x)
    def training_step(self, b, _):
        logits = self(b[0]); loss = F.cross_entropy(logits, b[1], label_smoothing=self.c.smoothing)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss
    def validation_step(self, b, _):
        logits = self(b[0])
        self.log("val_loss", F.cross_entropy(logits, b[1])); self.log("val_acc", (logits.argmax(1) == b[1]).float().mean())
    def configure_optimizers(self):
        o = torch.optim.SGD(self.parameters(), lr=self.c.lr, momentum=0.9, weight_decay=5e-4)
        s = torch.optim.lr_scheduler.OneCycleLR(o, max_lr=self.c.lr, total_steps=self.c.epochs * 30)
        return {"optimizer": o, "lr_scheduler": {"scheduler": s, "interval": "step"}}

net = Net(cfg)
L.Trainer(max_epochs=cfg.epochs, accelerator="cpu", logger=CSVLogger(root, name="ls_run", version=0), callbacks=[LearningRateMonitor("step")],
          enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False, log_every_n_steps=10
          ).fit(net, torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, Ytr), batch_size=cfg.batch, shuffle=True),
                torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, Yva), batch_size=1000))
net.eval()
with torch.no_grad():
    lv, lt = net(Xva), net(Xtr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(F.cross_entropy(lv, Yva).item(), 4), "val_acc": round((lv.argmax(1) == Yva).float().mean().item(), 4),
                                     "train_loss": round(F.cross_entropy(lt, Ytr).item(), 4), "chance_acc": 0.1}))
