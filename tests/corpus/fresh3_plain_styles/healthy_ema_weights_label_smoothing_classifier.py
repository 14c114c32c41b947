# expect:
# allow:
# forbid: *
# evidence: EMA weights: val_acc 0.932, val_loss 0.277 (chance 0.167); train loss with smoothing floors at ~0.55
"""6-class classifier on synthetic clustered data with AdamW, label smoothing 0.1 and an
exponential moving average (decay 0.995) of the weights kept by hand (torch.no_grad lerp);
the EMA copy is what gets evaluated on validation. With label smoothing the training loss
levels off around 0.5 instead of going to zero -- that floor is the smoothing, not a problem.
"""
import copy
import json

import torch
from torch import nn
from torch.nn import functional as F


def make_data(n, g, centers):
    y = torch.randint(0, 6, (n,), generator=g)
    x = centers[y] + torch.randn(n, 10, generator=g)
    return torch.cat([x, torch.tanh(x[:, :4] * x[:, 4:8])], 1), y


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    centers = torch.randn(6, 10, generator=g) * 1.2
    xtr, ytr = make_data(3000, g, centers)
    xva, yva = make_data(1000, g, centers)
    model = nn.Sequential(nn.Linear(14, 128), nn.SiLU(), nn.Dropout(0.1), nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 6))
    ema = copy.deepcopy(model).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    for epoch in range(15):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx], label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            with torch.no_grad():
                for pe, pm in zip(ema.parameters(), model.parameters()):
                    pe.lerp_(pm, 1 - 0.995)
        with torch.no_grad():
            lv = ema(xva)
        print(f"epoch {epoch} loss {loss.item():.4f} ema_val_loss {F.cross_entropy(lv, yva).item():.4f} "
              f"ema_val_acc {(lv.argmax(1) == yva).float().mean().item():.4f}")
    with torch.no_grad():
        lv, lt = ema(xva), ema(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == ytr).float().mean().item(), 4),
        "chance_acc": 0.1667,
    }))


if __name__ == "__main__":
    main()
