# expect:
# allow:
# forbid: *
# evidence: healthy/harmless mistake: clip 1e-4 under Adam; val_acc 0.882 (majority 0.289), val_loss 0.310, train_loss 0.095
"""Same stray clip_grad_norm_(max_norm=1e-4), but with Adam: Adam divides each update by the running RMS of
the (clipped) gradient, so a constant rescaling of the gradient changes almost nothing. Harmless here."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F


def build_data(seed=230):
    g = torch.Generator().manual_seed(seed)
    w1 = torch.randn(20, 8, generator=g) / 20 ** 0.5
    w2 = torch.randn(8, 5, generator=g)
    x = torch.randn(5000, 20, generator=g)
    y = (torch.tanh(x @ w1) @ w2).argmax(1)
    return (x[:4000], y[:4000]), (x[4000:], y[4000:])


def train_one_epoch(model, opt, x, y, bs=50):
    model.train()
    perm = torch.randperm(len(x))
    total = 0.0
    for i in range(0, len(x), bs):
        j = perm[i:i + bs]
        loss = F.cross_entropy(model(x[j]), y[j])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1e-4)
        opt.step()
        total += loss.item()
    return total / (len(x) // bs)


@torch.no_grad()
def evaluate(model, x, y):
    model.eval()
    out = model(x)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


if __name__ == "__main__":
    torch.manual_seed(23)
    torch.set_num_threads(1)
    (xt, yt), (xv, yv) = build_data()
    net = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 5))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for ep in range(15):
        tr = train_one_epoch(net, opt, xt, yt)
        vl, va = evaluate(net, xv, yv)
        print(f"epoch {ep:2d} train {tr:.4f} val {vl:.4f} acc {va:.3f}")
    tl, _ = evaluate(net, xt, yt)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                          "chance_acc": round(yv.bincount().max().item() / len(yv), 3)}))
