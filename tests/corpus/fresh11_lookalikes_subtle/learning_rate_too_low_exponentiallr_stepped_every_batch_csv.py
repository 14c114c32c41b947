"""1-D CNN for synthetic waveform classes with ExponentialLR(gamma=0.85), which the
author meant to step once per epoch but calls inside the batch loop.

With 47 batches per epoch the lr is multiplied by 0.85^47 ~ 5e-4 every epoch: it is
~5e-4 of its initial value after the first epoch and ~2e-50 by the end, so the
weights freeze before anything is learned and the model stays at chance. --control moves
sched.step() to the end of the epoch (nothing else changes).
"""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control val_acc 0.879 / val_loss 0.243 / train_loss 0.225 (lr 0.05 -> 0.0044 over 15 epochs); planted val_acc 0.281 / val_loss 1.379 (chance 0.25, ln 4 = 1.386) with train loss flat at 1.380 from epoch 1 on; planted lr 2.4e-5 after epoch 0 and 8.7e-52 at the end; planted conv1 relative update per step 1.1e-4 (epoch 0) -> 1.1e-7 -> 0 vs 4e-3..1e-2 in control (printed)
# control: --control
# native-log: waveform_run/log.csv
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
import argparse
import csv
import json
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_waves(n, rng, length=96):
    t = np.linspace(0, 1, length)
    X = np.empty((n, 1, length), dtype=np.float32)
    y = rng.integers(0, 4, n)
    for i in range(n):
        f = rng.uniform(2, 6)
        ph = rng.uniform(0, 2 * np.pi)
        s = np.sin(2 * np.pi * f * t + ph)
        if y[i] == 1:
            s = np.sign(s)
        elif y[i] == 2:
            s = 2 * ((f * t + ph / (2 * np.pi)) % 1) - 1
        elif y[i] == 3:
            s = 2 * np.abs(2 * ((f * t + ph / (2 * np.pi)) % 1) - 1) - 1
        X[i, 0] = s * rng.uniform(0.6, 1.4) + rng.normal(0, 0.35, length)
    return torch.tensor(X), torch.tensor(y)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    random.seed(19)
    np.random.seed(19)
    torch.manual_seed(19)
    rng = np.random.default_rng(19)
    Xtr, ytr = make_waves(3000, rng)
    Xva, yva = make_waves(800, rng)

    model = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                          nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(8),
                          nn.Flatten(), nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)
    log_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "waveform_run")
    os.makedirs(log_dir, exist_ok=True)
    fh = open(os.path.join(log_dir, "log.csv"), "w", newline="")
    wr = csv.writer(fh)
    wr.writerow(["epoch", "lr", "train_loss", "val_loss", "val_acc"])
    bs = 64
    for ep in range(15):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot, rel = 0.0, []
        for i in range(0, len(perm), bs):
            idx = perm[i:i + bs]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            w_before = model[0].weight.detach().clone()
            opt.step()
            rel.append(((model[0].weight.detach() - w_before).norm() / w_before.norm()).item())
            if not args.control:
                sched.step()  # BUG: meant to be once per epoch
            tot += loss.item() * len(idx)
        if args.control:
            sched.step()
        lr_now = opt.param_groups[0]["lr"]
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vl = F.cross_entropy(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        wr.writerow([ep, f"{lr_now:.3e}", f"{tot / len(Xtr):.5f}", f"{vl:.5f}", f"{va:.4f}"])
        print(f"epoch {ep} lr_after {lr_now:.2e} train_loss {tot / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} "
              f"conv1_rel_update {np.mean(rel):.2e}")
    fh.close()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4),
                                        "chance_acc": 0.25, "final_lr": float(f"{lr_now:.3g}")}))


if __name__ == "__main__":
    main()
