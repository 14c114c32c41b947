# expect: learning_rate_too_high
# allow: non_convergence, dead_units, exploding_gradients, non_finite, high_bias
# forbid: *
# evidence: planted (Adam lr 0.3) stays at chance: val_acc 0.153, val_loss 1.797, train_loss 1.79 (chance 0.167, ln6=1.79); control (lr 3e-4) val_acc 0.999, val_loss 0.003
# control: --control
# native-log: lr_typo/version_0/metrics.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, high_bias, non_finite
# Adam with lr=3e-1 where 3e-4 was meant (a dropped minus-digit typo in the config dict).
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import torch, torch.nn as nn
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.callbacks import LearningRateMonitor, EarlyStopping

torch.set_num_threads(1)
L.seed_everything(3, verbose=False)
CONTROL = "--control" in sys.argv
config = {"lr": 3e-4 if CONTROL else 3e-1, "hidden": 128, "epochs": 10, "bs": 32}
out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

g = torch.Generator().manual_seed(42)
centers = torch.randn(6, 16, generator=g) * 2.0
def sample(n):
    y = torch.randint(0, 6, (n,), generator=g)
    return centers[y] + torch.randn(n, 16, generator=g) * 1.3, y
Xtr, Ytr = sample(2000); Xva, Yva = sample(1000)

class LitNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        h = config["hidden"]
        self.body = nn.Sequential(nn.Linear(16, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 6))
        self.crit = nn.CrossEntropyLoss()
    def forward(self, x):
        return self.body(x)
    def training_step(self, batch, _):
        x, y = batch
        p = self(x); loss = self.crit(p, y)
        self.log("loss", loss, on_step=True, on_epoch=True)
        self.log("acc", (p.argmax(-1) == y).float().mean(), on_step=True, on_epoch=True)
        return loss
    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", self.crit(p, y)); self.log("val_acc", (p.argmax(-1) == y).float().mean())
    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=config["lr"])

net = LitNet()
trainer = L.Trainer(max_epochs=config["epochs"], accelerator="cpu", logger=CSVLogger(out_dir, name="lr_typo", version=0),
                    callbacks=[LearningRateMonitor(), EarlyStopping("val_loss", patience=6)],
                    enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False, log_every_n_steps=10)
trainer.fit(net, torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, Ytr), batch_size=config["bs"], shuffle=True),
            torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, Yva), batch_size=500))
net.eval()
with torch.no_grad():
    pv, pt = net(Xva), net(Xtr)
    h1 = torch.relu(net.body[0](Xva))
dead = (h1.max(0).values <= 0).float().mean().item()
print(f"probe: dead first-layer ReLUs on val = {dead:.3f}")
m = {"val_loss": nn.functional.cross_entropy(pv, Yva).item(), "val_acc": (pv.argmax(1) == Yva).float().mean().item(),
     "train_loss": nn.functional.cross_entropy(pt, Ytr).item(), "chance_acc": 1 / 6, "dead_frac": dead}
print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in m.items()}))
