# expect:
# allow:
# forbid: *
# evidence: slow but steady fine-tune: val_acc 0.47 (ep 0) -> 0.76 (ep 9) -> 0.958 (ep 29), val_loss 0.132 still falling, train_loss 0.094; chance 0.20
"""Transfer on digits: a spectrally-normalised backbone
(torch.nn.utils.parametrizations.spectral_norm) is pre-trained on digits 0-4,
then moved to digits 5-9 with a fresh head. Head-only for 4 epochs, then the
backbone is unfrozen and added to the optimizer as its own param group at a
10x smaller lr. Progress is deliberately slow and steady."""
import json
import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import spectral_norm
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(77)
torch.set_num_threads(1)

X, y = load_digits(return_X_y=True)
X = torch.tensor(X / 8.0 - 1.0, dtype=torch.float32)
y = torch.tensor(y)
src = y < 5
Xs, ys = X[src], y[src]
Xt, yt = X[~src], y[~src] - 5
a, b, c, d = train_test_split(Xt, yt, test_size=0.4, random_state=4, stratify=yt)
Xt_tr, Xt_va, yt_tr, yt_va = a, b, c, d

backbone = nn.Sequential(
    spectral_norm(nn.Linear(64, 128)), nn.ReLU(),
    spectral_norm(nn.Linear(128, 64)), nn.ReLU(),
)


def run_epoch(model, opt, xs, ys, bs=32):
    model.train()
    tot = 0.0
    for idx in torch.randperm(len(xs)).split(bs):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xs[idx]), ys[idx])
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    return tot / len(xs)


# stage 1: source task
src_model = nn.Sequential(backbone, nn.Linear(64, 5))
opt = torch.optim.Adam(src_model.parameters(), lr=2e-3)
for ep in range(10):
    l = run_epoch(src_model, opt, Xs, ys)
print(f"source pretrain final loss {l:.4f}")

# stage 2: target task, fresh head, staged unfreezing
head = nn.Linear(64, 5)
model = nn.Sequential(backbone, head)
for p in backbone.parameters():
    p.requires_grad_(False)
opt = torch.optim.SGD([{"params": head.parameters(), "lr": 0.03, "name": "head"}], momentum=0.9)
for ep in range(30):
    if ep == 4:
        for p in backbone.parameters():
            p.requires_grad_(True)
        opt.add_param_group({"params": list(backbone.parameters()), "lr": 0.003, "name": "backbone"})
        print("backbone unfrozen")
    tl = run_epoch(model, opt, Xt_tr, yt_tr)
    model.eval()
    with torch.no_grad():
        out = model(Xt_va)
        vl = nn.functional.cross_entropy(out, yt_va).item()
        va = (out.argmax(1) == yt_va).float().mean().item()
    print(f"ft epoch {ep:2d} groups {[g['name'] for g in opt.param_groups]} train_loss {tl:.4f} "
          f"val_loss {vl:.4f} val_acc {va:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.2}))
