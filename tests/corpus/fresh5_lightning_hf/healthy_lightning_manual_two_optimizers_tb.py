"""Manual optimisation in Lightning with two optimisers: SGD(momentum) for the encoder,
Adam for the classification head, each with its own scheduler. TensorBoardLogger.
"""
# expect:
# allow:
# forbid: *
# evidence: 10-class gaussian-mixture task; held-out val_acc 0.96 (chance 0.10), val_loss 0.13 vs ln10=2.30; train_loss 0.02
# native-log: tb
# log-expect:
# log-allow:
import json, os, tempfile, warnings

import numpy as np
import torch
from torch import nn
from torch.utils.data import Dataset, DataLoader
import lightning.pytorch as pl
from lightning.pytorch.loggers import TensorBoardLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)

N_CLASSES, DIM = 10, 24


class Clusters(Dataset):
    centers = None

    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        if Clusters.centers is None:
            Clusters.centers = np.random.default_rng(123).normal(0, 1.0, size=(N_CLASSES, 3, DIM))
        self.y = rng.integers(0, N_CLASSES, n)
        sub = rng.integers(0, 3, n)  # each class is a mixture of 3 blobs
        self.x = (Clusters.centers[self.y, sub] + rng.normal(0, 0.95, size=(n, DIM))).astype(np.float32)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return torch.from_numpy(self.x[i]), int(self.y[i])


class TwoOptModel(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.automatic_optimization = False
        self.encoder = nn.Sequential(nn.Linear(DIM, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU())
        self.head = nn.Linear(96, N_CLASSES)
        self.crit = nn.CrossEntropyLoss()

    def forward(self, x):
        return self.head(self.encoder(x))

    def training_step(self, batch, batch_idx):
        opt_enc, opt_head = self.optimizers()
        x, y = batch
        loss = self.crit(self(x), y)
        opt_enc.zero_grad()
        opt_head.zero_grad()
        self.manual_backward(loss)
        opt_enc.step()
        opt_head.step()
        self.log("train_loss", loss)
        if self.trainer.is_last_batch:
            for s in self.lr_schedulers():
                s.step()

    def validation_step(self, batch, batch_idx):
        x, y = batch
        out = self(x)
        self.log("val_loss", self.crit(out, y))
        self.log("val_acc", (out.argmax(-1) == y).float().mean())

    def configure_optimizers(self):
        opt_enc = torch.optim.SGD(self.encoder.parameters(), lr=0.05, momentum=0.9)
        opt_head = torch.optim.Adam(self.head.parameters(), lr=2e-3)
        s1 = torch.optim.lr_scheduler.StepLR(opt_enc, step_size=4, gamma=0.5)
        s2 = torch.optim.lr_scheduler.StepLR(opt_head, step_size=4, gamma=0.5)
        return [opt_enc, opt_head], [s1, s2]


if __name__ == "__main__":
    pl.seed_everything(7, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    train_dl = DataLoader(Clusters(2500, 0), batch_size=50, shuffle=True)
    val_dl = DataLoader(Clusters(1000, 1), batch_size=250)
    model = TwoOptModel()
    trainer = pl.Trainer(max_epochs=10, accelerator="cpu", logger=TensorBoardLogger(log_dir, name="tb", version=""),
                         log_every_n_steps=10, enable_progress_bar=False, enable_model_summary=False,
                         enable_checkpointing=False)
    trainer.fit(model, train_dl, val_dl)
    model.eval()

    def evaluate(ds):
        x, y = torch.from_numpy(ds.x), torch.from_numpy(ds.y)
        with torch.no_grad():
            out = model(x)
        return model.crit(out, y).item(), (out.argmax(-1) == y).float().mean().item()

    vl, va = evaluate(val_dl.dataset)
    tl, ta = evaluate(train_dl.dataset)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                         "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.1}))
