# expect:
# allow:
# forbid: *
# evidence: small BN CNN on 8x8 digits, 16 epochs Adam + StepLR: train_loss 0.026, val_loss 0.054, val_acc 0.99 (chance 0.10)
# native-log: dvclive
# log-expect:
# log-allow:
# DVCLive-style run folder written by hand (dvclive not installed):
#   dvclive/metrics.json, dvclive/params.yaml,
#   dvclive/plots/metrics/{train,eval}/<name>.tsv  with "step\t<name>" columns
import json
import os
import tempfile
from dataclasses import dataclass, asdict

import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_digits


@dataclass
class Cfg:
    seed: int = 1
    epochs: int = 16
    batch_size: int = 64
    lr: float = 2e-3
    step_size: int = 7
    gamma: float = 0.3
    channels: int = 8


class TinyLive:
    """Minimal stand-in for dvclive.Live: same files, same layout."""

    def __init__(self, root):
        self.root = os.path.join(root, "dvclive")
        self.step = 0
        self.latest = {}
        os.makedirs(os.path.join(self.root, "plots", "metrics"), exist_ok=True)

    def log_params(self, params):
        with open(os.path.join(self.root, "params.yaml"), "w") as f:
            for k, v in params.items():
                f.write(f"{k}: {v}\n")

    def log_metric(self, name, value):
        path = os.path.join(self.root, "plots", "metrics", *name.split("/")) + ".tsv"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        new = not os.path.exists(path)
        with open(path, "a") as f:
            if new:
                f.write(f"step\t{name.split('/')[-1]}\n")
            f.write(f"{self.step}\t{value}\n")
        node = self.latest
        parts = name.split("/")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value

    def next_step(self):
        with open(os.path.join(self.root, "metrics.json"), "w") as f:
            json.dump({"step": self.step, **self.latest}, f, indent=4)
        self.step += 1


class Net(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
            nn.Conv2d(c, 2 * c, 3, padding=1), nn.BatchNorm2d(2 * c), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.head = nn.Linear(2 * c * 16, 10)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


def main():
    cfg = Cfg()
    torch.set_num_threads(1)
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    X, y = load_digits(return_X_y=True)
    X = ((X - 8.0) / 8.0).astype(np.float32).reshape(-1, 1, 8, 8)
    order = rng.permutation(len(X))
    tr, va = order[:1400], order[1400:]
    Xtr, ytr = torch.from_numpy(X[tr]), torch.from_numpy(y[tr])
    Xva, yva = torch.from_numpy(X[va]), torch.from_numpy(y[va])

    live = TinyLive(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp())
    live.log_params(asdict(cfg))
    net = Net(cfg.channels)
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, cfg.step_size, cfg.gamma)
    crit = nn.CrossEntropyLoss()

    for epoch in range(cfg.epochs):
        net.train()
        tot, cnt, correct = 0.0, 0, 0
        for idx in torch.randperm(len(Xtr)).split(cfg.batch_size):
            logits = net(Xtr[idx])
            loss = crit(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            cnt += len(idx)
            correct += (logits.argmax(1) == ytr[idx]).sum().item()
        sched.step()
        net.eval()
        with torch.no_grad():
            lo = net(Xva)
            vloss = crit(lo, yva).item()
            vacc = (lo.argmax(1) == yva).float().mean().item()
        live.log_metric("train/loss", round(tot / cnt, 6))
        live.log_metric("train/acc", round(correct / cnt, 6))
        live.log_metric("eval/loss", round(vloss, 6))
        live.log_metric("eval/acc", round(vacc, 6))
        live.next_step()
        print(f"epoch {epoch:02d} train_loss {tot / cnt:.4f} val_loss {vloss:.4f} val_acc {vacc:.4f}")

    with torch.no_grad():
        net.eval()
        tl = crit(net(Xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                         "train_loss": round(tl, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
