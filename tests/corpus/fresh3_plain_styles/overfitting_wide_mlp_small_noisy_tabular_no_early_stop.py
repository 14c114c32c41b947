# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (150 epochs, last weights): train_loss 0.0001, val_loss 2.114 (minimum ~0.57 around epoch 1-2, then climbing), val_acc 0.706; control (early stopping, best restored at epoch ~1): val_loss 0.566, val_acc 0.723 (majority 0.528)
# control: --control
"""A wide 3-layer MLP (512 units) on a small tabular data set (160 rows, 20 features, 15% label
noise), Adam lr 1e-3, trained for a fixed 150 epochs with no regularisation, no early stopping,
and the last weights kept. Validation loss bottoms out early and then climbs while the train
loss goes to ~0 (the net memorises the noisy labels). --control adds early stopping on the
validation loss (patience 10, best weights restored); model, data and optimiser are unchanged.
"""
import argparse
import copy
import json

import torch
from torch import nn
from torch.nn import functional as F


def make_data(n, g, w):
    x = torch.randn(n, 20, generator=g)
    logits = x[:, :5] @ w + 0.5 * x[:, 5] * x[:, 6]
    y = (logits > 0).long()
    flip = torch.rand(n, generator=g) < 0.15
    y[flip] = 1 - y[flip]
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    w = torch.randn(5, generator=g)
    xtr, ytr = make_data(160, g, w)
    xva, yva = make_data(1000, g, w)
    model = nn.Sequential(nn.Linear(20, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    best, best_state, bad = float("inf"), None, 0
    for epoch in range(150):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            vl = F.cross_entropy(model(xva), yva).item()
            tl = F.cross_entropy(model(xtr), ytr).item()
        if epoch % 10 == 0:
            print(f"epoch {epoch} train_loss {tl:.4f} val_loss {vl:.4f}")
        if args.control:
            if vl < best:
                best, best_state, bad = vl, copy.deepcopy(model.state_dict()), 0
            else:
                bad += 1
                if bad >= 10:
                    print(f"early stop at epoch {epoch}")
                    break
    if args.control:
        model.load_state_dict(best_state)
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == ytr).float().mean().item(), 4),
        "chance_acc": round(max(yva.float().mean().item(), 1 - yva.float().mean().item()), 4),
    }))


if __name__ == "__main__":
    main()
