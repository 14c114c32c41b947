# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: planted (2% positives, plain BCE) val_acc 0.9825 only ~= majority baseline 0.978, val_recall 0.209, val_balanced_acc 0.604; control (pos_weight = n_neg/n_pos) val_recall 0.837, val_balanced_acc 0.804 (val_acc 0.772)
# control: --control
"""A Keras-like `fit()` written in plain PyTorch: compile-ish config, History dict with
loss/val_loss/accuracy/val_accuracy per epoch, verbose progress lines, EarlyStopping with
restore_best_weights, ReduceLROnPlateau. Tabular binary task (credit-default-like features)."""
import copy
import json
import sys

import numpy as np
import torch
from torch import nn


class History:
    def __init__(self):
        self.history = {}
        self.epoch = []

    def on_epoch_end(self, epoch, logs):
        self.epoch.append(epoch)
        for k, v in logs.items():
            self.history.setdefault(k, []).append(v)


class EarlyStopping:
    def __init__(self, monitor="val_loss", patience=5, restore_best_weights=True, min_delta=1e-4):
        self.monitor, self.patience, self.restore, self.min_delta = monitor, patience, restore_best_weights, min_delta
        self.best, self.wait, self.best_state, self.stop_training = np.inf, 0, None, False

    def on_epoch_end(self, model, logs):
        cur = logs[self.monitor]
        if cur < self.best - self.min_delta:
            self.best, self.wait = cur, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stop_training = True

    def on_train_end(self, model):
        if self.restore and self.best_state is not None:
            model.load_state_dict(self.best_state)


def fit(model, x, y, *, optimizer, loss_fn, epochs=1, batch_size=32, validation_data=None, callbacks=(),
        lr_scheduler=None, verbose=1, sample_weight_fn=None):
    history = History()
    n = len(x)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(n)
        tot, correct = 0.0, 0
        for i in range(0, n, batch_size):
            idx = perm[i:i + batch_size]
            xb, yb = x[idx], y[idx]
            logits = model(xb).squeeze(-1)
            loss = loss_fn(logits, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            tot += loss.item() * len(idx)
            correct += ((logits > 0).float() == yb).sum().item()
        logs = {"loss": tot / n, "accuracy": correct / n}
        if validation_data is not None:
            logs.update({"val_" + k: v for k, v in evaluate(model, *validation_data, loss_fn).items()})
        logs["lr"] = optimizer.param_groups[0]["lr"]
        history.on_epoch_end(epoch, logs)
        if lr_scheduler is not None:
            lr_scheduler.step(logs["val_loss"])
        if verbose:
            print(f"Epoch {epoch + 1}/{epochs} - " + " - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        for cb in callbacks:
            cb.on_epoch_end(model, logs)
        if any(cb.stop_training for cb in callbacks):
            print(f"Epoch {epoch + 1}: early stopping")
            break
    for cb in callbacks:
        cb.on_train_end(model)
    return history


@torch.no_grad()
def evaluate(model, x, y, loss_fn):
    model.eval()
    logits = model(x).squeeze(-1)
    pred = (logits > 0).float()
    tp = ((pred == 1) & (y == 1)).sum().item()
    recall = tp / max(1, (y == 1).sum().item())
    tnr = ((pred == 0) & (y == 0)).sum().item() / max(1, (y == 0).sum().item())
    return {"loss": loss_fn(logits, y).item(), "accuracy": (pred == y).float().mean().item(),
            "recall": recall, "balanced_accuracy": 0.5 * (recall + tnr)}


def make_data(n, rng, pos_frac):
    """8 standardised features; the positive class is a shifted, slightly curved region."""
    y = (rng.random(n) < pos_frac).astype(np.float32)
    x = rng.normal(size=(n, 8)).astype(np.float32)
    x[y == 1, :3] += 1.0
    x[y == 1, 3] += 0.5 * x[y == 1, 0] ** 2
    return torch.tensor(x), torch.tensor(y)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    # rare positives (fraud-like): ~2% of rows
    x_train, y_train = make_data(3000, rng, 0.02)
    x_val, y_val = make_data(2000, rng, 0.02)
    model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=2)
    if "--control" in sys.argv:  # re-weight the rare class (class_weight={1: n_neg / n_pos})
        pos_weight = (y_train == 0).sum() / (y_train == 1).sum()
        loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    else:
        loss_fn = nn.BCEWithLogitsLoss()
    es = EarlyStopping(monitor="val_loss", patience=6, restore_best_weights=True)
    history = fit(model, x_train, y_train, optimizer=optimizer, loss_fn=loss_fn, epochs=25, batch_size=32,
                  validation_data=(x_val, y_val), callbacks=[es], lr_scheduler=scheduler)
    final = evaluate(model, x_val, y_val, loss_fn)
    train = evaluate(model, x_train, y_train, loss_fn)
    print({k: round(v[-1], 4) for k, v in history.history.items()})
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(final["loss"], 4), "val_acc": round(final["accuracy"], 4),
                                         "val_balanced_acc": round(final["balanced_accuracy"], 4),
                                         "train_loss": round(train["loss"], 4), "val_recall": round(final["recall"], 4),
                                         "chance_acc": round(1 - y_val.mean().item(), 4)}))


if __name__ == "__main__":
    main()
