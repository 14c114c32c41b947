# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.990 (chance 0.17), val_loss 0.033, train_loss 0.007
# native-log: activity_log.csv
# log-expect:
# log-allow:
"""Sensor-window activity classification (6 activities, 30 features per window, synthetic) with
an MLP, SGD(lr=0.05, momentum=0.9, nesterov) and MultiStepLR(milestones=[6, 9], gamma=0.2)
stepped once per epoch. Healthy twin of learning_rate_too_low_steplr_stepped_per_batch.py.
Writes activity_log.csv (epoch, lr, train_loss, val_loss, val_acc).
"""
import argparse
import csv
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--lr", type=float, default=0.05)
    return p.parse_args()


def synth(n, g):
    protos = torch.randn(6, 30, generator=torch.Generator().manual_seed(11)) * 0.8
    y = torch.randint(0, 6, (n,), generator=g)
    x = protos[y] + torch.randn(n, 30, generator=g)
    x[:, :10] = x[:, :10] + 0.5 * x[:, 10:20] * x[:, 20:30]   # some interactions
    return x, y


def run_epoch(model, opt, x, y, bs):
    model.train()
    perm = torch.randperm(len(x))
    total = 0.0
    for i in range(0, len(x), bs):
        idx = perm[i:i + bs]
        opt.zero_grad()
        loss = F.cross_entropy(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    return total / len(x)


@torch.no_grad()
def evaluate(model, x, y):
    model.eval()
    out = model(x)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    args = parse()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(5)
    xtr, ytr = synth(5000, g)
    xva, yva = synth(1000, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd

    model = nn.Sequential(nn.Linear(30, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, 6))
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[6, 9], gamma=0.2)

    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, "activity_log.csv"), "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["epoch", "lr", "train_loss", "val_loss", "val_acc"])
        for ep in range(args.epochs):
            lr_now = opt.param_groups[0]["lr"]
            tl = run_epoch(model, opt, xtr, ytr, 128)
            sched.step()
            vl, va = evaluate(model, xva, yva)
            wr.writerow([ep + 1, f"{lr_now:.3e}", f"{tl:.5f}", f"{vl:.5f}", f"{va:.4f}"])
            print(f"epoch {ep+1:2d} lr {lr_now:.2e} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    trl, tra = evaluate(model, xtr, ytr)
    vl, va = evaluate(model, xva, yva)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                         "train_loss": round(trl, 4), "train_acc": round(tra, 4),
                                         "chance_acc": round(1 / 6, 4)}))


if __name__ == "__main__":
    main()
