# expect:
# allow:
# forbid: *
# evidence: fine-tuned (backbone lr 5e-4, head lr 5e-3, early stopping) on 250 labelled digits 5-9: val_acc 0.998, val_loss 0.049 (fine-tune epoch0 1.09; chance 0.20), train_loss 0.012
"""Stage 1: pretrain a small CNN on digits 0-4 (plenty of data).
Stage 2: fine-tune on digits 5-9 with only 250 labels, using parameter groups
(small lr for the pretrained backbone, larger for the fresh head) and early stopping."""
import copy
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)

BITMAPS = {  # 5 rows x 4 cols
    0: "0110100110011001100101100", 1: "0010011000100010001000111", 2: "0110100100100100100011111",
    3: "1110000101100001000111110", 4: "1001100110011111000100010", 5: "1111100011100001000111110",
    6: "0110100011101001100101100", 7: "1111000100100100010001000", 8: "0110100101101001100101100",
    9: "0110100110010111000101100",
}


def render(digits, seed):
    g = torch.Generator().manual_seed(seed)
    out = torch.zeros(len(digits), 1, 16, 16)
    for i, d in enumerate(digits.tolist()):
        bm = torch.tensor([int(c) for c in BITMAPS[d][:20]], dtype=torch.float32).view(5, 4)
        big = F.interpolate(bm[None, None], scale_factor=2.4, mode="bilinear", align_corners=False)[0, 0]
        h, w = big.shape
        oy, ox = [int(torch.randint(0, 16 - s + 1, (1,), generator=g)) for s in (h, w)]
        out[i, 0, oy:oy + h, ox:ox + w] = big
    return out + 0.25 * torch.randn(out.shape, generator=g)


def digit_set(classes, n, seed):
    g = torch.Generator().manual_seed(seed + 1000)
    cls = torch.tensor(classes)
    d = cls[torch.randint(0, len(cls), (n,), generator=g)]
    return render(d, seed), d - min(classes)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())

    def forward(self, x):
        return self.net(x)


def run_epoch(model, opt, x, y, bs):
    model.train()
    perm = torch.randperm(len(x))
    tot = 0.0
    for i in range(0, len(x), bs):
        b = perm[i:i + bs]
        loss = F.cross_entropy(model(x[b]), y[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    return tot / len(x)


@torch.no_grad()
def evaluate(model, x, y):
    model.eval()
    out = model(x)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def finetune(model, param_groups, xtr, ytr, xva, yva, max_epochs=16, patience=3, tag=""):
    opt = torch.optim.AdamW(param_groups, weight_decay=1e-4)
    best, best_state, bad = float("inf"), None, 0
    for ep in range(max_epochs):
        tl = run_epoch(model, opt, xtr, ytr, 25)
        vl, va = evaluate(model, xva, yva)
        print(f"  [{tag}] epoch {ep:2d} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
        if vl < best - 1e-4:
            best, best_state, bad = vl, copy.deepcopy(model.state_dict()), 0
        else:
            bad += 1
            if bad >= patience:
                print(f"  [{tag}] early stopping at epoch {ep}")
                break
    model.load_state_dict(best_state)
    return tl


# ---- stage 1: pretrain on 0-4
xa, ya = digit_set([0, 1, 2, 3, 4], 1200, seed=1)
backbone = Backbone()
pre = nn.Sequential(backbone, nn.Linear(64, 5))
opt = torch.optim.Adam(pre.parameters(), lr=2e-3)
for ep in range(3):
    print(f"pretrain epoch {ep}: loss {run_epoch(pre, opt, xa, ya, 50):.4f}")

# ---- stage 2: few-shot fine-tune on 5-9
xb, yb = digit_set([5, 6, 7, 8, 9], 250, seed=2)
xv, yv = digit_set([5, 6, 7, 8, 9], 500, seed=3)
model = nn.Sequential(backbone, nn.Linear(64, 5))
train_loss = finetune(model, [{"params": model[0].parameters(), "lr": 5e-4},
                              {"params": model[1].parameters(), "lr": 5e-3}], xb, yb, xv, yv, tag="finetune")
val_loss, val_acc = evaluate(model, xv, yv)

print(f"fine-tuned val_acc {val_acc:.3f} (best checkpoint)")
print("CORPUS_METRIC " + json.dumps({"train_loss": round(train_loss, 4), "val_loss": round(val_loss, 4),
                                     "val_acc": round(val_acc, 4),"chance_acc": 0.2}))
