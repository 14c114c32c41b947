"""Lightning digits MLP whose configure_optimizers builds Adam(lr=1e-3, eps=1.0) (eps copied from a
TF/Keras RMSprop recipe for a different model). With gradients ~1e-2 the denominator is dominated by
eps, so every step is ~lr*g: updates are tiny relative to the weights and the loss crawls.
Returns an optimiser + StepLR scheduler dict. --control uses eps=1e-8. CSVLogger + LearningRateMonitor."""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (eps=1e-8) val_acc 0.952, val_loss 0.229, train_loss 0.187 after 10 epochs; planted (eps=1.0) val_acc 0.169, val_loss 2.233, train_loss 2.237 (ln10=2.303); mean update/weight ratio 2.1e-4 -> 8.4e-5 vs control 1.05e-2 -> 1.3e-3
# control: --control
# native-log: adam_eps/version_0/metrics.csv
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
import os, sys, json, random, tempfile, warnings, logging
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
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
L.seed_everything(0, verbose=False)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=7, stratify=y)
sc = StandardScaler().fit(Xtr)
tr_ds = TensorDataset(torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(ytr))
va_ds = TensorDataset(torch.tensor(sc.transform(Xva), dtype=torch.float32), torch.tensor(yva))

class Probe(L.Callback):
    def __init__(self): self.ratios = []
    def on_before_optimizer_step(self, trainer, pl_module, optimizer):
        self.before = [p.detach().clone() for p in pl_module.parameters()]
    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        r = [((p.detach() - b).norm() / (b.norm() + 1e-12)).item() for p, b in zip(pl_module.parameters(), self.before)]
        self.ratios.append(float(np.mean(r)))

class Net(L.LightningModule):
    def __init__(self, eps):
        super().__init__(); self.eps = eps
        self.net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    def training_step(self, b, _):
        x, t = b; loss = F.cross_entropy(self.net(x), t)
        self.log("train_loss", loss, on_step=True, on_epoch=True); return loss
    def validation_step(self, b, _):
        x, t = b; out = self.net(x)
        self.log("val_loss", F.cross_entropy(out, t)); self.log("val_acc", (out.argmax(1) == t).float().mean())
    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-3, eps=self.eps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5), "interval": "epoch"}}

probe = Probe()
model = Net(1e-8 if CONTROL else 1.0)
trainer = L.Trainer(max_epochs=10, logger=CSVLogger(LOG_DIR, name="adam_eps", version=0), log_every_n_steps=5,
                    callbacks=[LearningRateMonitor(logging_interval="step"), probe], enable_progress_bar=False,
                    enable_model_summary=False, enable_checkpointing=False, accelerator="cpu", devices=1)
trainer.fit(model, DataLoader(tr_ds, batch_size=64, shuffle=True), DataLoader(va_ds, batch_size=256))
model.eval()
with torch.no_grad():
    out = model.net(va_ds.tensors[0]); vl = F.cross_entropy(out, va_ds.tensors[1]).item(); va = (out.argmax(1) == va_ds.tensors[1]).float().mean().item()
    o2 = model.net(tr_ds.tensors[0]); trl = F.cross_entropy(o2, tr_ds.tensors[1]).item()
print(f"update/weight ratio: first 20 steps {np.mean(probe.ratios[:20]):.2e}, last 20 steps {np.mean(probe.ratios[-20:]):.2e}")
print(f"val_loss {vl:.4f} val_acc {va:.3f} train_loss {trl:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.1, "update_ratio_last": float(f"{np.mean(probe.ratios[-20:]):.3g}")}))
