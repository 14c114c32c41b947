# expect:
# allow:
# forbid: *
# evidence: fine-tuned on 240 target rows: val_acc 0.826 (majority 0.365), val_loss 0.44 flat at its best over the last epochs; for scale, the same MLP trained from scratch on 5000 target rows reaches ~0.90
# native-log: finetune_history.csv
# log-expect:
# log-allow:
"""Transfer learning with pytorch-ignite. Stage 1 pre-trains an encoder on a large 'source'
task (10 classes, 6000 rows). Stage 2 fine-tunes encoder + a fresh dropout head on a small
'target' task (3 classes, 240 labelled rows) that depends on the same latent factors: batch
size 4 (very noisy per-step loss), AdamW at a small lr (2e-4 encoder / 3e-3 head) with weight
decay, cosine decay via ignite's LRScheduler. Only the fine-tuning run is logged to CSV.
"""
import csv
import json
import os
import tempfile

import torch
import torch.nn as nn
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Engine, Events
from ignite.handlers import LRScheduler
from ignite.metrics import Accuracy, Loss


def latent_data(n, g, A, B):
    x = torch.randn(n, 20, generator=g)
    h = torch.tanh(x @ A)
    y = (h @ B).argmax(1)
    return x, y


def make_trainer(model, optimizer, loss_fn):
    def train_step(engine, batch):
        model.train()
        x, y = batch
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()
    return Engine(train_step)


def make_evaluator(model, loss_fn):
    def eval_step(engine, batch):
        model.eval()
        with torch.no_grad():
            x, y = batch
            return model(x), y
    ev = Engine(eval_step)
    Accuracy().attach(ev, "acc")
    Loss(loss_fn).attach(ev, "loss")
    return ev


def main():
    torch.set_num_threads(1)
    torch.manual_seed(41)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ig_ft_")
    os.makedirs(log_dir, exist_ok=True)
    hist_path = os.path.join(log_dir, "finetune_history.csv")

    g = torch.Generator().manual_seed(41)
    A = torch.randn(20, 8, generator=g) / 20 ** 0.5 * 0.8
    B_src = torch.randn(8, 10, generator=g)
    B_tgt = torch.randn(8, 3, generator=g)
    xs, ys = latent_data(6000, g, A, B_src)
    xt, yt = latent_data(240, g, A, B_tgt)
    xv, yv = latent_data(1000, g, A, B_tgt)

    ce = nn.CrossEntropyLoss()
    encoder = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())

    # ---- stage 1: pre-train on the source task
    src_model = nn.Sequential(encoder, nn.Linear(64, 10))
    opt1 = torch.optim.Adam(src_model.parameters(), lr=2e-3)
    pre = make_trainer(src_model, opt1, ce)
    src_eval = make_evaluator(src_model, ce)
    src_loader = DataLoader(TensorDataset(xs, ys), batch_size=100, shuffle=True)

    @pre.on(Events.EPOCH_COMPLETED)
    def pre_report(engine):
        print(f"[pretrain] epoch {engine.state.epoch} last batch loss {engine.state.output:.4f}")

    pre.run(src_loader, max_epochs=6)
    src_eval.run(DataLoader(TensorDataset(xs[:1000], ys[:1000]), batch_size=500))
    print(f"[pretrain] source acc {src_eval.state.metrics['acc']:.3f}")

    # ---- stage 2: fine-tune on the small target task
    head = nn.Sequential(nn.Dropout(0.2), nn.Linear(64, 3))
    model = nn.Sequential(encoder, head)
    epochs = 12
    train_loader = DataLoader(TensorDataset(xt, yt), batch_size=4, shuffle=True)
    val_loader = DataLoader(TensorDataset(xv, yv), batch_size=500)
    opt2 = torch.optim.AdamW([
        {"params": encoder.parameters(), "lr": 2e-4},
        {"params": head.parameters(), "lr": 3e-3},
    ], weight_decay=0.05)
    ft = make_trainer(model, opt2, ce)
    ft.add_event_handler(Events.ITERATION_COMPLETED,
                         LRScheduler(CosineAnnealingLR(opt2, T_max=epochs * len(train_loader), eta_min=1e-6)))
    evaluator = make_evaluator(model, ce)

    batch_losses = []
    ft.add_event_handler(Events.ITERATION_COMPLETED, lambda e: batch_losses.append(e.state.output))
    with open(hist_path, "w", newline="") as f:
        csv.writer(f).writerow(["epoch", "iteration", "lr_encoder", "lr_head", "train_loss", "val_loss", "val_acc"])

    @ft.on(Events.EPOCH_COMPLETED)
    def ft_report(engine):
        evaluator.run(val_loader)
        m = evaluator.state.metrics
        tl = sum(batch_losses) / len(batch_losses)
        batch_losses.clear()
        lrs = [pg["lr"] for pg in opt2.param_groups]
        print(f"[finetune] epoch {engine.state.epoch} train_loss {tl:.4f} val_loss {m['loss']:.4f} val_acc {m['acc']:.4f}")
        with open(hist_path, "a", newline="") as f:
            csv.writer(f).writerow([engine.state.epoch, engine.state.iteration, lrs[0], lrs[1], tl, m["loss"], m["acc"]])

    evaluator.run(val_loader)
    print(f"[finetune] before: val_acc {evaluator.state.metrics['acc']:.4f}")
    ft.run(train_loader, max_epochs=epochs)

    evaluator.run(val_loader)
    val = dict(evaluator.state.metrics)
    evaluator.run(DataLoader(TensorDataset(xt, yt), batch_size=240))
    tr = dict(evaluator.state.metrics)
    chance = torch.bincount(yv, minlength=3).max().item() / len(yv)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(val["loss"], 4), "val_acc": round(val["acc"], 4),
        "train_loss": round(tr["loss"], 4), "train_acc": round(tr["acc"], 4), "chance_acc": round(chance, 4),
    }))


if __name__ == "__main__":
    main()
