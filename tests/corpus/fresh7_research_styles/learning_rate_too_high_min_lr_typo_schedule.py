# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, dead_units, non_finite, high_bias
# forbid: *
# evidence: planted (min_lr 0.1): lr climbs 1e-3 -> 0.1; train loss falls to 0.74 (epoch 3, lr 0.018) then rises to 1.60 as lr grows, val_acc 0.70 -> 0.3475 = majority-class rate, val_loss 1.62; control (min_lr 1e-6): train loss 0.34, val_loss 0.637, val_acc 0.750
# control: --control
# native-log: log.txt
# log-expect: learning_rate_too_high
# log-allow: non_convergence, high_bias, overfitting, exploding_gradients, non_finite
"""DINO-style utils.cosine_scheduler(base_value, final_value, epochs, niter_per_ep, warmup_epochs,
start_warmup_value) building a per-iteration numpy lr table that train_one_epoch indexes with
it = len(data_loader) * epoch + i; AdamW; a plain MLP (no normalisation layers) on synthetic
7-class 32-D tabular data; DINO's log.txt JSON lines in $CORPUS_LOG_DIR.

Planted: the config's min_lr is 1e-1 (typo for 1e-6), passed as the cosine's final_value. The
"decay" therefore climbs from lr 1e-3 to 0.1 (100x) over training; once the lr passes ~1e-2 the
loss shoots up and the run ends worse than it was at epoch 2. --control sets min_lr 1e-6.
"""
import argparse, json, math, os, tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def cosine_scheduler(base_value, final_value, epochs, niter_per_ep, warmup_epochs=0, start_warmup_value=0):
    warmup_schedule = np.array([])
    warmup_iters = warmup_epochs * niter_per_ep
    if warmup_epochs > 0:
        warmup_schedule = np.linspace(start_warmup_value, base_value, warmup_iters)
    iters = np.arange(epochs * niter_per_ep - warmup_iters)
    schedule = final_value + 0.5 * (base_value - final_value) * (1 + np.cos(np.pi * iters / len(iters)))
    schedule = np.concatenate((warmup_schedule, schedule))
    assert len(schedule) == epochs * niter_per_ep
    return schedule


def make_data(n, g, A, B):
    x = torch.randn(n, 32, generator=g)
    y = (torch.relu(x @ A) @ B + 0.3 * torch.randn(n, 7, generator=g)).argmax(1)
    return x, y


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true")
    ap.add_argument("--lr", type=float, default=1e-3); ap.add_argument("--min_lr", type=float, default=1e-1)
    ap.add_argument("--epochs", type=int, default=12); ap.add_argument("--batch_size_per_gpu", type=int, default=64)
    args = ap.parse_args()
    if args.control:
        args.min_lr = 1e-6
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    A = torch.randn(32, 24, generator=g) / 32 ** 0.5; B = torch.randn(24, 7, generator=g)
    xtr, ytr = make_data(3000, g, A, B); xva, yva = make_data(800, g, A, B)
    model = nn.Sequential(nn.Linear(32, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 7))
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.04)
    nb = len(xtr) // args.batch_size_per_gpu
    lr_schedule = cosine_scheduler(args.lr * args.batch_size_per_gpu / 64., args.min_lr, args.epochs, nb, warmup_epochs=1)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, "log.txt"); open(log_path, "w").close()
    for epoch in range(args.epochs):
        model.train(); perm = torch.randperm(len(xtr), generator=g); tot = 0.0
        for i in range(nb):
            it = nb * epoch + i
            for pg in opt.param_groups:
                pg["lr"] = lr_schedule[it]
            idx = perm[i * args.batch_size_per_gpu:(i + 1) * args.batch_size_per_gpu]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            if not math.isfinite(loss.item()):
                print(f"Loss is {loss.item()}, stopping training"); raise SystemExit(1)
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item()
        model.eval()
        with torch.no_grad():
            o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        stats = {"train_loss": tot / nb, "train_lr": float(lr_schedule[it]), "val_loss": vl, "val_acc1": va, "epoch": epoch}
        print(f"Epoch: [{epoch}/{args.epochs}]  lr: {stats['train_lr']:.6f}  loss: {tot / nb:.4f}  val_loss: {vl:.4f}  val_acc1: {va:.4f}")
        with open(log_path, "a") as f:
            f.write(json.dumps(stats) + "\n")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / nb, 4),
                                         "chance_acc": round(float(torch.bincount(yva).max()) / len(yva), 4)}))


if __name__ == "__main__":
    main()
