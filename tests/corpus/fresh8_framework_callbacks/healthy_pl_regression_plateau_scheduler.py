# expect:
# allow:
# forbid: *
# evidence: healthy; val_mse 0.0135 vs target_var 0.343 (noise var 0.01), train_mse 0.0121; ReduceLROnPlateau + EarlyStopping
# native-log: reg/version_0/metrics.csv
# log-expect:
# log-allow:
# Lightning regression (flat, notebook-style script): MLP with loss computed inside forward when
# targets are passed, ReduceLROnPlateau monitoring val_loss, EarlyStopping, CSVLogger.
import os, json, tempfile, warnings, logging
warnings.filterwarnings("ignore"); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import torch
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.callbacks import EarlyStopping, LearningRateMonitor
torch.set_num_threads(1); L.seed_everything(23, verbose=False)
LOGS = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

g = torch.Generator().manual_seed(23)
X = torch.rand(3000, 6, generator=g) * 2 - 1
Y = (torch.sin(3 * X[:, :1]) * X[:, 1:2] + X[:, 2:3] ** 2 - 0.5 * X[:, 3:4] + 0.1 * torch.randn(3000, 1, generator=g))
Xtr, Ytr, Xva, Yva = X[:2400], Y[:2400], X[2400:], Y[2400:]

class Reg(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.f = torch.nn.Sequential(torch.nn.Linear(6, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(), torch.nn.Linear(64, 1))
    def forward(self, x, y=None):
        out = self.f(x)
        return out if y is None else (out, torch.nn.functional.mse_loss(out, y))
    def training_step(self, b, i):
        _, loss = self(*b); self.log("train_mse", loss, on_step=True, on_epoch=True); return loss
    def validation_step(self, b, i):
        _, loss = self(*b); self.log("val_mse", loss)
    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=5e-3)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.3, patience=2), "monitor": "val_mse"}}

reg = Reg()
L.Trainer(max_epochs=20, accelerator="cpu", logger=CSVLogger(LOGS, name="reg", version=0),
          callbacks=[EarlyStopping("val_mse", patience=5), LearningRateMonitor()],
          enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False, log_every_n_steps=10
          ).fit(reg, torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, Ytr), batch_size=64, shuffle=True),
                torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, Yva), batch_size=600))
reg.eval()
with torch.no_grad():
    vm = torch.nn.functional.mse_loss(reg(Xva), Yva).item(); tm = torch.nn.functional.mse_loss(reg(Xtr), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4), "target_var": round(Yva.var().item(), 4), "noise_var": 0.01}))
