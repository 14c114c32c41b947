# expect:
# allow:
# forbid: *
# evidence: val mean balanced acc 0.923, min per-tag recall 0.84 (tag positive rates 6%-46%, rarest 6%), micro-F1 0.881, val_loss 0.291
"""Multi-label tagging (8 tags per item, 6-46% positive rate each) with BCEWithLogitsLoss and
pos_weight = n_neg / n_pos per tag computed on the training set, so the rare tags are not
ignored. Adam with a ReduceLROnPlateau on validation loss. Evaluated by per-tag balanced
accuracy and micro-F1 on held-out items.
"""
import json

import torch
from torch import nn
from torch.nn import functional as F


def make_data(n, g, w, bias):
    x = torch.randn(n, 20, generator=g)
    z = torch.tanh(x @ w) * 3 + bias
    y = (z + 0.5 * torch.randn(n, 8, generator=g) > 0).float()
    return x, y


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    w = torch.randn(20, 8, generator=g) / 3
    bias = torch.linspace(-3.0, -0.5, 8)
    xtr, ytr = make_data(4000, g, w, bias)
    xva, yva = make_data(1500, g, w, bias)
    pos = ytr.mean(0)
    pos_weight = (1 - pos) / pos
    print("train positive rate per tag", [round(v, 3) for v in pos.tolist()])
    model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 8))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.3, patience=2)
    crit = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    for epoch in range(15):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            vl = crit(model(xva), yva).item()
        plateau.step(vl)
        print(f"epoch {epoch} loss {loss.item():.4f} val_loss {vl:.4f} lr {opt.param_groups[0]['lr']:.1e}")
    model.eval()
    with torch.no_grad():
        pv = (model(xva) > 0).float()
        vl = crit(model(xva), yva).item()
        tl = crit(model(xtr), ytr).item()
    tp = (pv * yva).sum(0)
    tpr = tp / yva.sum(0)
    tnr = ((1 - pv) * (1 - yva)).sum(0) / (1 - yva).sum(0)
    micro_f1 = 2 * tp.sum() / (pv.sum() + yva.sum())
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(vl, 4), "train_loss": round(tl, 4),
        "val_mean_balanced_acc": round(((tpr + tnr) / 2).mean().item(), 4),
        "val_min_tag_recall": round(tpr.min().item(), 4),
        "val_micro_f1": round(micro_f1.item(), 4),
        "chance_balanced_acc": 0.5,
    }))


if __name__ == "__main__":
    main()
