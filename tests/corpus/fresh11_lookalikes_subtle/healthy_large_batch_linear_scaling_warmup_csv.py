"""Large-batch training (batch 1024) with the linear lr-scaling rule
(lr = 0.1 * 1024/128 = 0.8, SGD + Nesterov) and a 3-epoch linear warm-up, then cosine.

Look-alike: the peak lr (0.8) looks far too high for SGD on an MLP, the lr curve
ramps UP 10x over the first epochs, there are only 12 optimizer steps per epoch,
and the loss wiggles near the peak. With warm-up and batch 1024 this is the
standard recipe and the run is healthy.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.949 (chance 0.125), val_loss 0.264, train_loss 0.126; a small-batch reference (batch 128, lr 0.1, same 12 epochs; printed) reaches val_acc 0.9545 / val_loss 0.255, so the scaled-up large batch loses almost nothing; lr rises 0.08 -> 0.78 over 3 epochs (val_loss bumps 0.88 -> 1.18 and val_acc dips 0.76 -> 0.63 during warm-up) then decays to 0
# native-log: large_batch.csv
# log-expect:
# log-allow:
import csv
import json
import math
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)

BASE_LR, BASE_BS = 0.1, 128


def run(bs, epochs, warmup_epochs, log_path=None, verbose=True):
    random.seed(14)
    np.random.seed(14)
    torch.manual_seed(14)
    X, y = make_classification(n_samples=14000, n_features=40, n_informative=16, n_redundant=6, n_classes=8,
                               n_clusters_per_class=1, class_sep=1.5, flip_y=0.02, random_state=14)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    Xtr, ytr = torch.tensor(X[:12000]), torch.tensor(y[:12000])
    Xva, yva = torch.tensor(X[12000:]), torch.tensor(y[12000:])
    model = nn.Sequential(nn.Linear(40, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 8))
    peak = BASE_LR * bs / BASE_BS
    opt = torch.optim.SGD(model.parameters(), lr=peak, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps_per_epoch = math.ceil(len(Xtr) / bs)
    total, warm = epochs * steps_per_epoch, warmup_epochs * steps_per_epoch

    def lr_at(step):
        if step < warm:
            return peak * (0.1 + 0.9 * step / warm)
        t = (step - warm) / max(1, total - warm)
        return peak * 0.5 * (1 + math.cos(math.pi * t))

    fh = open(log_path, "w", newline="") if log_path else None
    wr = csv.writer(fh) if fh else None
    if wr:
        wr.writerow(["epoch", "step", "lr", "train_loss", "val_loss", "val_acc"])
    step = 0
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot = 0.0
        for i in range(0, len(perm), bs):
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            idx = perm[i:i + bs]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            step += 1
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vl = F.cross_entropy(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        if wr:
            wr.writerow([ep, step, f"{opt.param_groups[0]['lr']:.5f}", f"{tot / len(Xtr):.5f}", f"{vl:.5f}", f"{va:.4f}"])
        if verbose:
            print(f"epoch {ep} lr {opt.param_groups[0]['lr']:.4f} train_loss {tot / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    if fh:
        fh.close()
    return tot / len(Xtr), vl, va


def main():
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(log_dir, exist_ok=True)
    tl, vl, va = run(1024, epochs=12, warmup_epochs=3, log_path=os.path.join(log_dir, "large_batch.csv"))
    _, vl_ref, va_ref = run(128, epochs=12, warmup_epochs=0, verbose=False)
    print(f"small-batch reference (bs 128, lr 0.1): val_loss {vl_ref:.4f} val_acc {va_ref:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                        "chance_acc": 0.125, "small_batch_ref_val_acc": round(va_ref, 4)}))


if __name__ == "__main__":
    main()
