# expect:
# allow:
# forbid: *
# evidence: val_acc 0.870, val_loss 0.308 on 1000 held-out target rows after fine-tuning on 240 (chance 0.25); val_loss falls 1.12 -> 0.31 (flat over the last ~6 epochs); the low lr is right: backbone lr 1e-3 / 3e-3 (side runs) give val_loss 0.339 / 0.440 (train_loss 0.04 / 0.01, over-fitting the 240 rows)
# native-log: finetune/version_0/metrics.csv
# log-expect:
# log-allow:
"""Low-learning-rate fine-tuning, the way it is meant to be done. A backbone MLP is first
pre-trained (plain PyTorch, not logged) on a large 'source' task over the same 30 sensor features
(8 classes, 6000 rows). Then, in a Fabric loop, a fresh 4-class head is attached and the whole
network is fine-tuned on only 240 labelled 'target' rows with AdamW at lr 1e-4 (head at 1e-3) for
40 short epochs. The new head starts random (loss ~1.9), the loss falls quickly while the head
fits, then only creeps down for the rest of the run at the small backbone lr -- intended (a 10x larger
backbone lr over-fits the 240 rows and ends with a worse validation loss). Fabric CSVLogger holds the fine-tuning curves.
"""
import json
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger

warnings.filterwarnings("ignore")
D, Z = 30, 6


def world(n, g, A, W):
    z = torch.randn(n, Z, generator=g)
    x = torch.tanh(z @ A) + 0.1 * torch.randn(n, D, generator=g)
    return x, (z @ W).argmax(1)


def main():
    torch.set_num_threads(1)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ft_")
    logger = CSVLogger(log_dir, name="finetune", version=0)
    fabric = Fabric(accelerator="cpu", devices=1, loggers=logger)
    fabric.launch()
    fabric.seed_everything(83)
    g = torch.Generator().manual_seed(83)
    A = torch.randn(Z, D, generator=g)
    Ws, Wt = torch.randn(Z, 8, generator=g), torch.randn(Z, 4, generator=g)
    xs, ys = world(6000, g, A, Ws)
    xt, yt = world(240, g, A, Wt)
    xv, yv = world(1000, g, A, Wt)

    backbone = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
    src_head = nn.Linear(64, 8)
    pre_opt = torch.optim.Adam(list(backbone.parameters()) + list(src_head.parameters()), lr=2e-3)
    for _ in range(6):  # pre-training on the source task (not part of the fine-tuning log)
        for xb, yb in DataLoader(TensorDataset(xs, ys), batch_size=128, shuffle=True):
            loss = F.cross_entropy(src_head(backbone(xb)), yb)
            pre_opt.zero_grad()
            loss.backward()
            pre_opt.step()

    head = nn.Linear(64, 4)
    model = nn.Sequential(backbone, head)
    opt = torch.optim.AdamW([{"params": backbone.parameters(), "lr": 1e-4},
                             {"params": head.parameters(), "lr": 1e-3}], weight_decay=0.01)
    model, opt = fabric.setup(model, opt)
    dl = fabric.setup_dataloaders(DataLoader(TensorDataset(xt, yt), batch_size=16, shuffle=True))
    step = 0
    for epoch in range(40):
        model.train()
        for xb, yb in dl:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            fabric.backward(loss)
            opt.step()
            if step % 5 == 0:
                fabric.log_dict({"train_loss": loss.item(), "lr_backbone": opt.param_groups[0]["lr"],
                                 "lr_head": opt.param_groups[1]["lr"]}, step=step)
            step += 1
        if epoch % 2 == 1:
            model.eval()
            with torch.no_grad():
                lv = model(xv)
            fabric.log_dict({"val_loss": F.cross_entropy(lv, yv).item(),
                             "val_acc": (lv.argmax(1) == yv).float().mean().item(), "epoch": epoch}, step=step)
    logger.finalize("success")
    model.eval()
    with torch.no_grad():
        lv, lt = model(xv), model(xt)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yv).item(), 4),
        "val_acc": round((lv.argmax(1) == yv).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, yt).item(), 4),
        "train_acc": round((lt.argmax(1) == yt).float().mean().item(), 4),
        "n_target_train": 240,
        "chance_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
