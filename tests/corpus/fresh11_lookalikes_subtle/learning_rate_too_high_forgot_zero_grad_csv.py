"""Training loop that never calls optimizer.zero_grad().

The .grad buffers keep accumulating: after k steps the "gradient" used by SGD is the
sum of all k mini-batch gradients so far, so the effective step size grows linearly
with the step count. After a few dozen steps the loss diverges by many orders of magnitude.
--control adds the missing zero_grad() (nothing else changes).
"""
# expect: learning_rate_too_high
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: control val_acc 0.976 / val_loss 0.10 / train_loss 0.021; planted diverges: train_loss 4.7 (ep0) -> 2.7e3 (ep1) -> 4e28 (ep11), val_loss 2e29, val_acc 0.69; .grad norm grows 1.04 (first step) -> 6e15 (control max 3.3)
# control: --control
# native-log: zero_grad_run.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients
import argparse
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
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    random.seed(16)
    np.random.seed(16)
    torch.manual_seed(16)

    X, y = load_digits(return_X_y=True)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=16, stratify=y)
    sc = StandardScaler().fit(Xtr)
    Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32)
    Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)

    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(log_dir, exist_ok=True)
    fh = open(os.path.join(log_dir, "zero_grad_run.csv"), "w", newline="")
    wr = csv.writer(fh)
    wr.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
    gnorms = []
    for ep in range(12):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot, n = 0.0, 0
        for i in range(0, len(perm), 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            if args.control:
                opt.zero_grad()
            loss.backward()
            gnorms.append(torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item())
            opt.step()
            tot += loss.item() * len(idx)
            n += len(idx)
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vl = F.cross_entropy(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        wr.writerow([ep, f"{tot / n:.5f}", f"{vl:.5f}", f"{va:.4f}"])
        print(f"epoch {ep} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.4f} grad_norm(last) {gnorms[-1]:.3g}")
    fh.close()
    print(f".grad norm first step {gnorms[0]:.3g}, max {max(g for g in gnorms if math.isfinite(g)):.3g}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if math.isfinite(vl) else None, "val_acc": round(va, 4),
                                        "train_loss": round(tot / n, 4) if math.isfinite(tot) else None, "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
