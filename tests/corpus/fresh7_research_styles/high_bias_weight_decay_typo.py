# expect: high_bias
# allow: non_convergence, learning_rate_too_low
# forbid: *
# evidence: planted (wd 5e-2): train_acc 0.352 / train_loss 1.75 after 15 epochs (val_acc 0.344, majority 0.195), weight norm 2.6; control (wd 5e-4): train_acc 1.00, train_loss 0.007, val_acc 0.881, val_loss 0.409, weight norm 21.8
# control: --control
# native-log: summary.csv
# log-expect: high_bias
# log-allow: non_convergence
"""timm-style SGD recipe (momentum 0.9, nesterov, per-epoch cosine with 1 warm-up epoch,
AverageMeter logging, timm summary.csv in $CORPUS_LOG_DIR) for a 3-hidden-layer MLP on synthetic
8-class 20-D data whose classes are separable but curved (a competent fit reaches ~0.88 held-out).

Planted: the config's weight_decay is 5e-2 instead of 5e-4 (typo). With lr 0.1, every step shrinks
the weights by 0.5%, so the network is pinned to near-linear, tiny weights and underfits: training
accuracy itself stays low. --control uses weight_decay 5e-4 (the only change).
"""
import argparse, csv, json, math, os, tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def make_data(n, g, A, B):
    x = torch.randn(n, 20, generator=g)
    h = x @ A
    y = (h + 0.3 * h ** 2 @ B).argmax(1)
    return x, y


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true")
    ap.add_argument("--weight-decay", type=float, default=5e-2); args = ap.parse_args()
    if args.control:
        args.weight_decay = 5e-4
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    A = torch.randn(20, 8, generator=g) / 20 ** 0.5; B = torch.randn(8, 8, generator=g) / 8 ** 0.5
    xtr, ytr = make_data(4000, g, A, B); xva, yva = make_data(1000, g, A, B)
    model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 8))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=args.weight_decay)
    out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(out, exist_ok=True)
    summary = os.path.join(out, "summary.csv")
    with open(summary, "w", newline="") as f:
        csv.writer(f).writerow(["epoch", "train_loss", "train_top1", "eval_loss", "eval_top1", "lr"])
    epochs, bs = 15, 64; nb = len(xtr) // bs
    for epoch in range(epochs):
        lr = 0.05 if epoch == 0 else 1e-4 + 0.5 * (0.1 - 1e-4) * (1 + math.cos(math.pi * (epoch - 1) / (epochs - 1)))
        for pg in opt.param_groups:
            pg["lr"] = lr
        model.train(); perm = torch.randperm(len(xtr), generator=g); tot = 0.0; correct = 0
        for i in range(nb):
            idx = perm[i * bs:(i + 1) * bs]; o = model(xtr[idx]); loss = F.cross_entropy(o, ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); correct += (o.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item() * 100
        ta = correct / (nb * bs)
        print(f"Train: {epoch}  Loss: {tot / nb:.4f}  Acc@1 {ta * 100:.2f}  LR: {lr:.3e} | Test: Loss: {vl:.4f}  Acc@1: {va:.3f}")
        with open(summary, "a", newline="") as f:
            csv.writer(f).writerow([epoch, round(tot / nb, 5), round(ta * 100, 3), round(vl, 5), round(va, 3), lr])
    wn = sum(p.norm() ** 2 for p in model.parameters()).sqrt().item()
    print(f"probe: total weight norm at end {wn:.2f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va / 100, 4), "train_loss": round(tot / nb, 4),
                                         "train_acc": round(ta, 4), "chance_acc": round(float(torch.bincount(yva).max()) / len(yva), 4)}))


if __name__ == "__main__":
    main()
