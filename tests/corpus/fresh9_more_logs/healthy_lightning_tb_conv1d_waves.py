# expect:
# allow:
# forbid: *
# evidence: Conv1d on noisy waveforms (5 shapes, noise sd 0.4), warm-up + cosine AdamW, 11 epochs: train_loss 0.077, val_loss 0.071, val_acc 0.974 (chance 0.20)
# native-log: lightning_logs/version_0
# log-expect:
# log-allow:
"""LightningModule-shaped code run by a hand loop (lightning isn't importable fast enough here);
logs go through the same TensorBoardLogger layout: lightning_logs/version_0/events.out.tfevents.*
with train_loss_step / train_loss_epoch / val_loss / val_acc / lr-AdamW / epoch tags, plus hparams.yaml."""
import json
import math
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1)
torch.manual_seed(21)


def waves(n, length=96):
    t = torch.linspace(0, 1, length)
    cls = torch.randint(0, 5, (n,))
    freq = 3 + torch.rand(n) * 3
    phase = torch.rand(n) * 2 * math.pi
    arg = 2 * math.pi * freq[:, None] * t[None] + phase[:, None]
    sine = torch.sin(arg)
    square = torch.sign(sine)
    saw = 2 * ((arg / (2 * math.pi)) % 1) - 1
    tri = 2 * saw.abs() - 1
    chirp = torch.sin(arg * (1 + t[None]))
    bank = torch.stack([sine, square, saw, tri, chirp], 1)
    x = bank[torch.arange(n), cls] + 0.4 * torch.randn(n, length)
    return x.unsqueeze(1), cls


class WaveClassifier(nn.Module):
    hparams = dict(lr=3e-3, weight_decay=1e-2, warmup_steps=40, max_epochs=11, batch_size=64)

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.GELU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.GELU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.GELU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
            nn.Linear(32, 5),
        )

    def training_step(self, batch):
        x, y = batch
        return F.cross_entropy(self.net(x), y)

    def validation_step(self, batch):
        x, y = batch
        logits = self.net(x)
        return F.cross_entropy(logits, y), (logits.argmax(1) == y).float().mean()

    def configure_optimizers(self, total_steps):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams["lr"], weight_decay=self.hparams["weight_decay"])
        w = self.hparams["warmup_steps"]
        lam = lambda s: (s + 1) / w if s < w else 0.5 * (1 + math.cos(math.pi * (s - w) / max(1, total_steps - w)))
        return opt, torch.optim.lr_scheduler.LambdaLR(opt, lam)


def fit():
    root = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    vdir = os.path.join(root, "lightning_logs", "version_0")
    os.makedirs(vdir, exist_ok=True)
    logger = SummaryWriter(vdir)
    xtr, ytr = waves(2000)
    xva, yva = waves(500)
    module = WaveClassifier()
    hp = module.hparams
    with open(os.path.join(vdir, "hparams.yaml"), "w") as f:
        f.write("".join(f"{k}: {v}\n" for k, v in hp.items()))
    steps_per_epoch = math.ceil(len(xtr) / hp["batch_size"])
    opt, sched = module.configure_optimizers(hp["max_epochs"] * steps_per_epoch)
    global_step = 0
    for epoch in range(hp["max_epochs"]):
        module.train()
        losses = []
        for idx in torch.randperm(len(xtr)).split(hp["batch_size"]):
            loss = module.training_step((xtr[idx], ytr[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            losses.append(loss.item())
            global_step += 1
            if global_step % 10 == 0:  # Trainer(log_every_n_steps=10)
                logger.add_scalar("train_loss_step", loss.item(), global_step - 1)
                logger.add_scalar("lr-AdamW", opt.param_groups[0]["lr"], global_step - 1)
                logger.add_scalar("epoch", float(epoch), global_step - 1)
        module.eval()
        with torch.no_grad():
            vloss, vacc = module.validation_step((xva, yva))
        logger.add_scalar("val_loss", vloss.item(), global_step - 1)
        logger.add_scalar("val_acc", vacc.item(), global_step - 1)
        logger.add_scalar("train_loss_epoch", sum(losses) / len(losses), global_step - 1)
        logger.add_scalar("epoch", float(epoch), global_step - 1)
        print(f"Epoch {epoch}: train_loss_epoch={sum(losses) / len(losses):.4f} val_loss={vloss:.4f} val_acc={vacc:.4f}")
    logger.flush()
    logger.close()
    with torch.no_grad():
        tl = module.training_step((xtr, ytr)).item()
    return {"val_loss": round(vloss.item(), 4), "val_acc": round(vacc.item(), 4), "train_loss": round(tl, 4), "chance_acc": 0.2}


if __name__ == "__main__":
    print("CORPUS_METRIC " + json.dumps(fit()))
