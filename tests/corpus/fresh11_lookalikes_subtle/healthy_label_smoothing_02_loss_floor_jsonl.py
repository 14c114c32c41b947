"""Label smoothing 0.2 on a 6-class sensor-fault table, small Trainer class.

Look-alike: with label_smoothing=0.2 and 6 classes the lowest reachable cross
entropy is H(smoothed target) ~= 0.72, so both train and val loss flatten out at
~0.75-0.8 from epoch 5 on. A monitor looking only at the loss sees a plateau far above 0
("stuck"), but accuracy is high.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.988 (chance 0.167) with val_loss 0.767 and train_loss 0.751 against the smoothing floor 0.719 (entropy of the smoothed target); both losses flat within 0.03 from epoch 5 to 19 while acc stays 0.985-0.989
# native-log: ls_run/metrics.jsonl
# log-expect:
# log-allow:
import json
import math
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class Trainer:
    def __init__(self, model, lr, smoothing, log_path):
        self.model = model
        self.opt = torch.optim.Adam(model.parameters(), lr=lr)
        self.sched = torch.optim.lr_scheduler.StepLR(self.opt, step_size=8, gamma=0.3)
        self.crit = nn.CrossEntropyLoss(label_smoothing=smoothing)
        self.log = open(log_path, "w")

    def fit_epoch(self, loader):
        self.model.train()
        tot, n = 0.0, 0
        for xb, yb in loader:
            loss = self.crit(self.model(xb), yb)
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            tot += loss.item() * len(yb)
            n += len(yb)
        self.sched.step()
        return tot / n

    @torch.no_grad()
    def evaluate(self, X, y):
        self.model.eval()
        out = self.model(X)
        return self.crit(out, y).item(), (out.argmax(1) == y).float().mean().item()

    def write(self, rec):
        self.log.write(json.dumps(rec) + "\n")
        self.log.flush()


def main():
    torch.set_num_threads(1)
    random.seed(5)
    np.random.seed(5)
    torch.manual_seed(5)
    X, y = make_classification(n_samples=3000, n_features=24, n_informative=12, n_redundant=4,
                               n_classes=6, n_clusters_per_class=1, class_sep=2.0, flip_y=0.0,
                               random_state=5)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
    sc = StandardScaler().fit(Xtr)
    Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32)
    Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)

    K, eps = 6, 0.2
    p_true = 1 - eps + eps / K
    p_other = eps / K
    floor = -(p_true * math.log(p_true) + (K - 1) * p_other * math.log(p_other))

    model = nn.Sequential(nn.Linear(24, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(), nn.Linear(128, K))
    log_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "ls_run")
    os.makedirs(log_dir, exist_ok=True)
    tr = Trainer(model, lr=2e-3, smoothing=eps, log_path=os.path.join(log_dir, "metrics.jsonl"))
    for ep in range(20):
        lr = tr.opt.param_groups[0]["lr"]
        tl = tr.fit_epoch(loader)
        vl, va = tr.evaluate(Xva, yva)
        rec = {"epoch": ep, "lr": round(lr, 6), "train_loss": round(tl, 5), "val_loss": round(vl, 5), "val_acc": round(va, 4)}
        tr.write(rec)
        print(rec)
    print(f"smoothing floor (entropy of smoothed target) = {floor:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                        "chance_acc": round(1 / K, 4), "loss_floor": round(floor, 4)}))


if __name__ == "__main__":
    main()
