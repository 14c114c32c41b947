# expect:
# allow:
# forbid: *
# evidence: best-checkpoint val_acc 0.997 (chance 0.2); train_loss 0.69 / val_loss 0.72 are the label-smoothing floor, not under-fitting (train_acc 0.997); early-stopped at epoch 9
# native-log: topics/version_0/metrics.csv
# log-expect:
# log-allow:
"""Bag-of-words topic classification (5 topics, 400-word vocabulary, Zipf background words plus
topic words, documents of 20-60 tokens, log1p term counts). MLP trained with label smoothing 0.15,
so the training loss has a floor well above 0 (~0.5) even when the model is perfect on the training
set -- that is intended, not under-fitting. Validation twice per epoch (val_check_interval=0.5),
EarlyStopping on val_loss (patience 4) and ModelCheckpoint(monitor=val_acc); the best checkpoint
is reloaded for the final held-out evaluation.
"""
import json
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

import pytorch_lightning as pl
from pytorch_lightning.callbacks import EarlyStopping, ModelCheckpoint
from pytorch_lightning.loggers import CSVLogger

warnings.filterwarnings("ignore")
V, K = 400, 5


def corpus(n, g, topic_words):
    zipf = 1.0 / torch.arange(1, V + 1).float()
    zipf /= zipf.sum()
    y = torch.randint(0, K, (n,), generator=g)
    x = torch.zeros(n, V)
    for i in range(n):
        length = int(torch.randint(20, 61, (1,), generator=g))
        n_topic = int(length * 0.25)
        bg = torch.multinomial(zipf, length - n_topic, replacement=True, generator=g)
        tw = topic_words[int(y[i])]
        tp = tw[torch.randint(0, len(tw), (n_topic,), generator=g)]
        x[i].index_add_(0, torch.cat([bg, tp]), torch.ones(length))
    return torch.log1p(x), y


class TopicMLP(pl.LightningModule):
    def __init__(self, lr=1e-3, smoothing=0.15):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(V, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, K))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y, label_smoothing=self.hparams.smoothing)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def main():
    torch.set_num_threads(1)
    pl.seed_everything(21, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="bow_")
    ckpt_dir = tempfile.mkdtemp(prefix="bow_ckpt_")
    g = torch.Generator().manual_seed(21)
    perm = torch.randperm(V, generator=g)[40:]  # topic words avoid the 40 most frequent words
    topic_words = [perm[k * 25:(k + 1) * 25] for k in range(K)]
    # topics overlap: every topic shares 8 words with the next one
    topic_words = [torch.cat([topic_words[k], topic_words[(k + 1) % K][:8]]) for k in range(K)]
    xtr, ytr = corpus(1500, g, topic_words)
    xva, yva = corpus(600, g, topic_words)
    ckpt = ModelCheckpoint(dirpath=ckpt_dir, monitor="val_acc", mode="max", save_top_k=1)
    trainer = pl.Trainer(max_epochs=30, accelerator="cpu", devices=1, val_check_interval=0.5,
                         logger=CSVLogger(log_dir, name="topics", version=0),
                         callbacks=[EarlyStopping(monitor="val_loss", patience=4), ckpt],
                         log_every_n_steps=10, enable_progress_bar=False, enable_model_summary=False)
    model = TopicMLP()
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    best = TopicMLP.load_from_checkpoint(ckpt.best_model_path)
    best.eval()
    with torch.no_grad():
        lv, lt = best(xva), best(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == ytr).float().mean().item(), 4),
        "stopped_epoch": trainer.current_epoch,
        "chance_acc": 0.2,
    }))


if __name__ == "__main__":
    main()
