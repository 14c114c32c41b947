# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 1.00 (chance 0.33), val_loss 0.007, train_loss 0.007 after 8 epochs with accumulation 4 + clip 1.0
# native-log: cnn/version_0/metrics.csv
# log-expect:
# log-allow:
# Small CNN on synthetic 12x12 "stripe orientation" images. Uses accumulate_grad_batches=4,
# gradient_clip_val=1.0, linear warm-up + cosine decay stepped per optimizer step.
import os, sys, json, math, tempfile, warnings, logging
warnings.filterwarnings("ignore")
for n in ("lightning", "lightning.pytorch", "lightning.fabric"):
    logging.getLogger(n).setLevel(logging.ERROR)
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.callbacks import LearningRateMonitor

torch.set_num_threads(1)
L.seed_everything(11, verbose=False)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

def stripes(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)
    ii, jj = torch.meshgrid(torch.arange(12.), torch.arange(12.), indexing="ij")
    phase = torch.rand(n, generator=g) * 6.28
    freq = 0.8 + 0.4 * torch.rand(n, generator=g)
    coord = torch.stack([ii, jj, ii + jj])[y]  # horizontal / vertical / diagonal
    img = torch.sin(freq[:, None, None] * coord + phase[:, None, None])
    img = img + 0.6 * torch.randn(n, 12, 12, generator=g)
    return img[:, None], y

class StripeNet(L.LightningModule):
    def __init__(self, lr=2e-3, warmup=20, total=0):
        super().__init__()
        self.save_hyperparameters()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32, 3)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.relu(self.c2(x))
        return self.fc(x.mean((2, 3)))
    def training_step(self, b, i):
        x, y = b
        out = self(x)
        loss = F.cross_entropy(out, y)
        self.log("train/loss", loss, on_step=True, on_epoch=True)
        self.log("train/acc", (out.argmax(1) == y).float().mean(), on_step=True, on_epoch=True)
        return loss
    def validation_step(self, b, i):
        x, y = b
        out = self(x)
        self.log("val/loss", F.cross_entropy(out, y), on_epoch=True)
        self.log("val/acc", (out.argmax(1) == y).float().mean(), on_epoch=True)
    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)
        w, T = self.hparams.warmup, self.hparams.total
        f = lambda s: (s + 1) / w if s < w else 0.5 * (1 + math.cos(math.pi * min(1.0, (s - w) / max(1, T - w))))
        return [opt], [{"scheduler": torch.optim.lr_scheduler.LambdaLR(opt, f), "interval": "step"}]

xtr, ytr = stripes(2400, 1)
xva, yva = stripes(600, 2)
dl_tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
dl_va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xva, yva), batch_size=300)
EPOCHS, ACC = 8, 4
model = StripeNet(total=EPOCHS * math.ceil(len(dl_tr) / ACC))
tr = L.Trainer(max_epochs=EPOCHS, accelerator="cpu", accumulate_grad_batches=ACC, gradient_clip_val=1.0,
               logger=CSVLogger(logdir, name="cnn", version=0), callbacks=[LearningRateMonitor("step")],
               enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
               log_every_n_steps=5)
tr.fit(model, dl_tr, dl_va)
model.eval()
with torch.no_grad():
    ov, ot = model(xva), model(xtr)
print("CORPUS_METRIC " + json.dumps(dict(
    val_loss=round(F.cross_entropy(ov, yva).item(), 4), val_acc=round((ov.argmax(1) == yva).float().mean().item(), 4),
    train_loss=round(F.cross_entropy(ot, ytr).item(), 4), chance_acc=0.3333)))
