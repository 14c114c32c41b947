# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: planted (94/2/2/2): val_acc 0.956 vs majority 0.933 but balanced_acc 0.566, worst-class recall 0.02; control (25% each): balanced_acc 0.756, worst-class recall 0.64
# control: --control
# native-log: metrics_history.csv
# log-expect:
# log-allow: class_imbalance, high_bias
"""Defect-type classifier (4 classes: ok, scratch, dent, discolouration) on 12 inspection
features, pytorch-ignite. The production line data is 94% 'ok' and 2% of each defect type;
trained with plain cross-entropy it learns to answer 'ok'. Accuracy looks great, macro recall
(balanced accuracy) does not. --control draws the same number of rows from the same
class-conditional distributions with equal class frequencies (train and validation alike).
"""
import argparse
import csv
import json
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Engine, Events
from ignite.handlers import LRScheduler
from ignite.metrics import Accuracy, Loss, Recall


def draw(n, g, priors, centers):
    y = torch.multinomial(priors, n, replacement=True, generator=g)
    x = centers[y] + 1.0 * torch.randn(n, 12, generator=g)
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(29)
    out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ig_defects_")
    os.makedirs(out, exist_ok=True)
    hist = os.path.join(out, "metrics_history.csv")

    g = torch.Generator().manual_seed(29)
    centers = 0.55 * torch.randn(4, 12, generator=g)
    priors = torch.full((4,), 0.25) if args.control else torch.tensor([0.94, 0.02, 0.02, 0.02])
    xtr, ytr = draw(2500, g, priors, centers)
    xva, yva = draw(2000, g, priors, centers)
    print("train class counts:", torch.bincount(ytr, minlength=4).tolist())

    train_loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    val_loader = DataLoader(TensorDataset(xva, yva), batch_size=1000)

    model = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 4))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()

    def train_step(engine, batch):
        model.train()
        x, y = batch
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    trainer = Engine(train_step)
    trainer.add_event_handler(Events.EPOCH_COMPLETED,
                              LRScheduler(torch.optim.lr_scheduler.StepLR(optimizer, step_size=6, gamma=0.5)))

    def eval_step(engine, batch):
        model.eval()
        with torch.no_grad():
            x, y = batch
            return model(x), y

    evaluator = Engine(eval_step)
    Accuracy().attach(evaluator, "accuracy")
    Loss(criterion).attach(evaluator, "loss")
    Recall(average=True).attach(evaluator, "macro_recall")

    epoch_loss = []
    trainer.add_event_handler(Events.ITERATION_COMPLETED, lambda e: epoch_loss.append(e.state.output))
    with open(hist, "w", newline="") as f:
        csv.writer(f).writerow(["epoch", "lr", "train_loss", "val_loss", "val_accuracy", "val_macro_recall"])

    @trainer.on(Events.EPOCH_COMPLETED)
    def log_metrics(engine):
        evaluator.run(val_loader)
        m = evaluator.state.metrics
        tl = sum(epoch_loss) / len(epoch_loss)
        epoch_loss.clear()
        lr = optimizer.param_groups[0]["lr"]
        print(f"epoch {engine.state.epoch:2d} | loss {tl:.4f} | val_loss {m['loss']:.4f} "
              f"| val_acc {m['accuracy']:.4f} | macro_recall {m['macro_recall']:.4f}")
        with open(hist, "a", newline="") as f:
            csv.writer(f).writerow([engine.state.epoch, lr, tl, m["loss"], m["accuracy"], m["macro_recall"]])

    trainer.run(train_loader, max_epochs=15)

    evaluator.run(val_loader)
    m = dict(evaluator.state.metrics)
    with torch.no_grad():
        pred = model(xva).argmax(1)
    recalls = [((pred == c) & (yva == c)).sum().item() / max(1, (yva == c).sum().item()) for c in range(4)]
    majority = torch.bincount(yva, minlength=4).max().item() / len(yva)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(m["loss"], 4), "val_acc": round(m["accuracy"], 4),
        "balanced_acc": round(sum(recalls) / 4, 4), "min_class_recall": round(min(recalls), 4),
        "chance_acc": round(majority, 4), "chance_balanced_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
