# expect:
# allow:
# forbid: *
# evidence: val_acc 0.996, val_loss 0.025 (chance 0.1); train_loss 0.005 / train_acc 1.0; early stopping after 18 epochs with val_loss flat at its best
# native-log: glyphs_metrics.csv
# log-expect:
# log-allow:
"""Ignite with a hand-written process_function (Engine(train_step)) training a small CNN on
10-class 'glyphs': ten random 5x5 binary templates upscaled to 10x10, shifted by up to 1 pixel,
with pixel noise. The labels are deterministic, so the training loss keeps falling towards ~0
while validation accuracy sits at its best (~100%) -- fitting the training set completely is not
overfitting here. Handlers: EarlyStopping on negative validation loss (patience 3), ModelCheckpoint
keeping the best model by validation accuracy (reloaded for the final evaluation), and a CSV
written by an EPOCH_COMPLETED / ITERATION_COMPLETED event handler.
"""
import csv
import json
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Engine, Events, create_supervised_evaluator
from ignite.handlers import EarlyStopping, ModelCheckpoint
from ignite.metrics import Accuracy, Loss
from ignite.utils import manual_seed

warnings.filterwarnings("ignore")


def glyphs(n, g, templates):
    y = torch.randint(0, 10, (n,), generator=g)
    big = templates[y].repeat_interleave(2, 1).repeat_interleave(2, 2)  # 10x10
    img = torch.zeros(n, 12, 12)
    dx = torch.randint(0, 3, (n,), generator=g)
    dy = torch.randint(0, 3, (n,), generator=g)
    for i in range(n):
        img[i, dy[i]:dy[i] + 10, dx[i]:dx[i] + 10] = big[i]
    img += 0.35 * torch.randn(img.shape, generator=g)
    return img[:, None], y


def main():
    torch.set_num_threads(1)
    manual_seed(41)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="glyph_")
    os.makedirs(log_dir, exist_ok=True)
    ckpt_dir = tempfile.mkdtemp(prefix="glyph_ckpt_")
    g = torch.Generator().manual_seed(41)
    templates = (torch.rand(10, 5, 5, generator=g) < 0.45).float()
    xtr, ytr = glyphs(1000, g, templates)
    xva, yva = glyphs(500, g, templates)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(32 * 9, 10))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)

    def train_step(engine, batch):
        model.train()
        x, y = batch
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return {"loss": loss.item(), "acc": (logits.argmax(1) == y).float().mean().item()}

    trainer = Engine(train_step)
    evaluator = create_supervised_evaluator(model, metrics={"acc": Accuracy(), "loss": Loss(F.cross_entropy)})
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=500)
    fh = open(os.path.join(log_dir, "glyphs_metrics.csv"), "w", newline="")
    wr = csv.writer(fh)
    wr.writerow(["iteration", "epoch", "train_loss", "train_acc", "val_loss", "val_acc"])

    @trainer.on(Events.ITERATION_COMPLETED(every=4))
    def log_train(engine):
        o = engine.state.output
        wr.writerow([engine.state.iteration, engine.state.epoch, f"{o['loss']:.5f}", f"{o['acc']:.4f}", "", ""])

    @trainer.on(Events.EPOCH_COMPLETED)
    def validate(engine):
        evaluator.run(val_dl)
        m = evaluator.state.metrics
        wr.writerow([engine.state.iteration, engine.state.epoch, "", "", f"{m['loss']:.5f}", f"{m['acc']:.4f}"])

    evaluator.add_event_handler(Events.COMPLETED, EarlyStopping(
        patience=3, score_function=lambda e: -e.state.metrics["loss"], trainer=trainer))
    ckpt = ModelCheckpoint(ckpt_dir, "glyph", n_saved=1, require_empty=False,
                           score_function=lambda e: e.state.metrics["acc"], score_name="val_acc",
                           global_step_transform=lambda *_: trainer.state.epoch)
    evaluator.add_event_handler(Events.COMPLETED, ckpt, {"model": model})
    trainer.run(train_dl, max_epochs=40)
    fh.close()
    model.load_state_dict(torch.load(ckpt.last_checkpoint))
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == ytr).float().mean().item(), 4),
        "epochs_run": trainer.state.epoch,
        "chance_acc": 0.1,
    }))


if __name__ == "__main__":
    main()
