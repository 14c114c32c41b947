# expect:
# forbid: *
# evidence: 5-topic token classification (chance 0.20): val_loss 1.591 -> 0.0168 (minimum at the end), val_acc 0.996, train_loss 0.0006
# native-log: lightning_logs/version_0/metrics.csv
# log-expect:
"""Synthetic 'topic' classification of token sequences with an EmbeddingBag model.
Each topic has its own preferred vocabulary; sequences mix topic words with common filler words.
OneCycleLR stepped every batch, validation twice per epoch, no sanity check."""
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

import lightning as L
from lightning.pytorch.loggers import CSVLogger

VOCAB, TOPICS, SEQ = 300, 5, 20
EPOCHS, BATCH = 6, 64


class TopicDataset(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.labels = torch.randint(0, TOPICS, (n,), generator=g)
        topic_vocab = torch.arange(TOPICS * 40).view(TOPICS, 40) + 100   # ids 100..299
        filler = torch.randint(0, 100, (n, SEQ), generator=g)            # shared filler words
        own = topic_vocab[self.labels][torch.arange(n)[:, None], torch.randint(0, 40, (n, SEQ), generator=g)]
        use_topic = torch.rand(n, SEQ, generator=g) < 0.3                 # ~6 topic words per sequence
        self.tokens = torch.where(use_topic, own, filler)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.tokens[i], self.labels[i]


class BagModel(L.LightningModule):
    def __init__(self, steps_per_epoch):
        super().__init__()
        self.steps_per_epoch = steps_per_epoch
        self.emb = nn.EmbeddingBag(VOCAB, 32, mode="mean")
        self.fc = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, TOPICS))

    def forward(self, tokens):
        return self.fc(self.emb(tokens))

    def training_step(self, batch, batch_idx):
        tokens, y = batch
        loss = F.cross_entropy(self(tokens), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        tokens, y = batch
        logits = self(tokens)
        self.log("val_loss", F.cross_entropy(logits, y), on_epoch=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=1e-2)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-2, epochs=EPOCHS,
                                                    steps_per_epoch=self.steps_per_epoch)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


if __name__ == "__main__":
    torch.set_num_threads(1)
    L.seed_everything(5, verbose=False)
    train_ds, val_ds = TopicDataset(1600, seed=1), TopicDataset(500, seed=2)
    train_dl = DataLoader(train_ds, batch_size=BATCH, shuffle=True)
    val_dl = DataLoader(val_ds, batch_size=250)
    model = BagModel(steps_per_epoch=len(train_dl))
    trainer = L.Trainer(max_epochs=EPOCHS, val_check_interval=0.5, num_sanity_val_steps=0,
                        logger=CSVLogger(os.environ.get("CORPUS_LOG_DIR", tempfile.mkdtemp()), version=0),
                        log_every_n_steps=5, enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", deterministic=True, enable_checkpointing=False)
    trainer.fit(model, train_dl, val_dl)

    model.eval()
    with torch.no_grad():
        logits = model(val_ds.tokens)
        metrics = {"val_loss": F.cross_entropy(logits, val_ds.labels).item(),
                   "val_acc": (logits.argmax(1) == val_ds.labels).float().mean().item(),
                   "train_loss": F.cross_entropy(model(train_ds.tokens), train_ds.labels).item(),
                   "chance_acc": 1 / TOPICS}
    print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in metrics.items()}))
