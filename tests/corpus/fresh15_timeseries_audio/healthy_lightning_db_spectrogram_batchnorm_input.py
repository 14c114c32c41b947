"""Lightning classifier of machine sounds (hum / rising whine / falling whine / clicks) from dB
spectrograms: 10*log10(power / max) clipped to -80..0 dB, so the raw inputs have mean ~ -23 dB, std ~8 and are
NOT standardised in the data pipeline; the network's first layer is BatchNorm2d(1), which does that
normalisation. Lightning CSVLogger."""
# expect:
# allow:
# forbid: *
# evidence: healthy: raw dB inputs -80..0 (mean -23.0, std 8.3) normalised by a BatchNorm2d(1) first layer; val_acc 0.965, val_loss 0.145 (chance 0.25), train_loss 0.096
# native-log: lightning_logs/spec/version_0/metrics.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, math, warnings, logging
warnings.filterwarnings("ignore"); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR); logging.getLogger("lightning").setLevel(logging.ERROR)
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
torch.set_num_threads(1); L.seed_everything(0, verbose=False); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
SR = 4000; n = 2000; tt = torch.arange(n) / SR; win = torch.hann_window(128)
def clip(c):
    f0 = random.uniform(200, 1200); a = random.uniform(0.3, 1.0)
    if c == 0: x = torch.sin(2 * math.pi * f0 * tt) + 0.5 * torch.sin(4 * math.pi * f0 * tt)
    elif c == 1: x = torch.sin(2 * math.pi * (f0 * tt + 600 * tt ** 2))
    elif c == 2: x = torch.sin(2 * math.pi * ((f0 + 600) * tt - 600 * tt ** 2))
    else:
        x = torch.zeros(n); period = random.randint(150, 400)
        for s in range(random.randint(0, 100), n - 20, period): x[s:s + 20] = torch.randn(20) * 2
    return a * x + 0.2 * torch.randn(n)
def ds(m):
    y = torch.randint(0, 4, (m,)); X = torch.stack([clip(int(c)) for c in y])
    p = torch.stft(X, 128, 64, window=win, return_complex=True).abs() ** 2
    db = 10 * torch.log10(p / p.amax(dim=(1, 2), keepdim=True) + 1e-10)
    return torch.utils.data.TensorDataset(db.clamp(-80, 0).unsqueeze(1), y)
tr, va = ds(384), ds(256)
print(f"input dB range {tr.tensors[0].min():.1f}..{tr.tensors[0].max():.1f}, mean {tr.tensors[0].mean():.1f}, std {tr.tensors[0].std():.1f}")
class SpecNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.BatchNorm2d(1), nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(12, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.LazyLinear(4))
    def forward(self, x): return self.net(x)
    def training_step(self, b, _):
        loss = F.cross_entropy(self(b[0]), b[1]); self.log("train_loss", loss, on_step=False, on_epoch=True); return loss
    def validation_step(self, b, _):
        out = self(b[0]); self.log("val_loss", F.cross_entropy(out, b[1])); self.log("val_acc", (out.argmax(1) == b[1]).float().mean())
    def configure_optimizers(self): return torch.optim.Adam(self.parameters(), lr=2e-3)
model = SpecNet(); model(tr.tensors[0][:2])
trainer = L.Trainer(max_epochs=5, logger=CSVLogger(LOG_DIR, name="lightning_logs/spec", version=0), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1, log_every_n_steps=5)
trainer.fit(model, torch.utils.data.DataLoader(tr, batch_size=32, shuffle=True), torch.utils.data.DataLoader(va, batch_size=160))
model.eval()
with torch.no_grad():
    out = model(va.tensors[0]); vl = F.cross_entropy(out, va.tensors[1]).item(); vacc = (out.argmax(1) == va.tensors[1]).float().mean().item()
    tl = F.cross_entropy(model(tr.tensors[0]), tr.tensors[1]).item()
print(f"val_loss {vl:.4f} val_acc {vacc:.3f} train_loss {tl:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
