# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (48 train examples): train_loss 0.0002, train_acc 1.0 but val_loss 1.45, val_acc 0.62; control (2400 examples): val_loss 0.25, val_acc 0.91
# control: --control
# native-log: tiny/version_0/metrics.csv
# log-expect: overfitting
# log-allow: high_variance
# A wide MLP trained for many epochs on only 48 noisy examples, no dropout / weight decay / early
# stopping. --control gives it the full 2400-example training set (same model, same epochs).
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import torch
from torch import nn
import lightning as L
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
L.seed_everything(0, verbose=False)
N_TRAIN = 2400 if "--control" in sys.argv else 48
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

gen = torch.Generator().manual_seed(9)
W = torch.randn(30, 3, generator=gen)
def data(n):
    x = torch.randn(n, 30, generator=gen)
    y = (x @ W + 0.8 * torch.randn(n, 3, generator=gen)).argmax(1)
    return x, y
x_all, y_all = data(2400)
xtr, ytr = x_all[:N_TRAIN], y_all[:N_TRAIN]
xva, yva = data(1000)

class Wide(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(30, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 3))
    def forward(self, x): return self.f(x)
    def step(self, batch, tag):
        x, y = batch
        o = self(x); loss = nn.functional.cross_entropy(o, y)
        on_step = tag == "train"
        self.log(f"{tag}_loss", loss, on_step=on_step, on_epoch=True)
        self.log(f"{tag}_acc", (o.argmax(1) == y).float().mean(), on_step=on_step, on_epoch=True)
        return loss
    def training_step(self, b, i): return self.step(b, "train")
    def validation_step(self, b, i): self.step(b, "val")
    def configure_optimizers(self): return torch.optim.Adam(self.parameters(), lr=1e-3)

# keep the number of optimizer steps equal: 16 per epoch-equivalent for tiny, full batch 150 for control
bs = 16 if N_TRAIN < 100 else 150
epochs = 60 if N_TRAIN < 100 else 12
net = Wide()
L.Trainer(max_epochs=epochs, accelerator="cpu", logger=CSVLogger(logdir, name="tiny", version=0), log_every_n_steps=1,
          enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False
          ).fit(net, torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=bs, shuffle=True),
                torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xva, yva), batch_size=1000))
net.eval()
with torch.no_grad():
    ov, ot = net(xva), net(xtr)
ce = nn.functional.cross_entropy
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ce(ov, yva).item(), 4), "val_acc": round((ov.argmax(1) == yva).float().mean().item(), 4),
      "train_loss": round(ce(ot, ytr).item(), 4), "train_acc": round((ot.argmax(1) == ytr).float().mean().item(), 4), "chance_acc": 0.3333}))
