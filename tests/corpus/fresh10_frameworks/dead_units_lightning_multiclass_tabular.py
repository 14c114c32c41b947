# expect: dead_units
# allow: poor_initialization, non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (hidden biases -3) 100% of ReLUs dead in all 3 layers, train_loss 1.386 = ln 4, val_acc 0.253 (chance 0.25); control (default init) val_acc 0.913, val_loss 0.279, dead 0%/1.6%/11%
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: non_convergence, high_bias
"""Lightning 4-class tabular classifier (make_classification, 20 standardised features), 3 hidden
ReLU layers of 128. Planted: the hidden biases are initialised to -3 (a 'sparse activations' init
gone wrong), so nearly every ReLU is off for every input. --control: PyTorch's default bias init."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import TensorDataset, DataLoader
from sklearn.datasets import make_classification

torch.set_num_threads(1)
L.seed_everything(0, verbose=False)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = make_classification(n_samples=2400, n_features=20, n_informative=12, n_classes=4, n_clusters_per_class=2,
                           class_sep=1.5, random_state=0)
X = ((X - X[:1800].mean(0)) / X[:1800].std(0)).astype(np.float32)
Xtr, ytr, Xva, yva = torch.tensor(X[:1800]), torch.tensor(y[:1800]), torch.tensor(X[1800:]), torch.tensor(y[1800:])


class Clf(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                                 nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 4))
        if not CONTROL:
            for m in list(self.net)[:-1]:
                if isinstance(m, nn.Linear):
                    nn.init.constant_(m.bias, -3.0)
        self.crit = nn.CrossEntropyLoss()

    def forward(self, x):
        return self.net(x)

    def training_step(self, b, i):
        x, y = b
        out = self(x)
        loss = self.crit(out, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (out.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss

    def validation_step(self, b, i):
        x, y = b
        out = self(x)
        self.log("val_loss", self.crit(out, y))
        self.log("val_acc", (out.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


model = Clf()
trainer = L.Trainer(max_epochs=10, accelerator="cpu", devices=1, logger=CSVLogger(LOG_DIR, name="", version=""),
                    enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                    log_every_n_steps=10)
trainer.fit(model, DataLoader(TensorDataset(Xtr, ytr), batch_size=32, shuffle=True),
            DataLoader(TensorDataset(Xva, yva), batch_size=600))
model.eval()
with torch.no_grad():
    ov, ot = model(Xva), model(Xtr)
    m = {"val_loss": float(nn.functional.cross_entropy(ov, yva)), "val_acc": float((ov.argmax(1) == yva).float().mean()),
         "train_loss": float(nn.functional.cross_entropy(ot, ytr)), "train_acc": float((ot.argmax(1) == ytr).float().mean()),
         "chance_acc": 0.25}
    h = Xtr; dead = []
    for mod in model.net:
        h = mod(h)
        if isinstance(mod, nn.ReLU):
            dead.append(float((h.max(0).values <= 0).float().mean()))
    m["dead_frac_per_layer"] = dead
print("CORPUS_METRIC " + json.dumps({k: (round(v, 4) if isinstance(v, float) else [round(d, 3) for d in v]) for k, v in m.items()}))
