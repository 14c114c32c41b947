# expect: exploding_gradients, non_finite
# allow: learning_rate_too_high, non_convergence, poor_initialization, high_bias, saturated_activations, dead_units
# forbid: *
# evidence: planted (x + f(x) + x in 16 blocks) first-layer grad norm 4.4e4 in epoch 0, then loss NaN, val_acc 0.218 (majority 0.242); control (x + f(x)) first-layer grad norm 1.5-2.2, train_loss 0.295, val_loss 0.485, val_acc 0.814
# control: --control
# A 16-block residual MLP. In the planted version the block returns `x + self.f(x) + x`
# (the skip was added in forward() AND again in the refactored helper), so every block
# doubles the activation scale: 2**16 ~ 6.5e4 at the output, and the gradients of the
# early blocks are as large.
import argparse, json
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, w, double_skip):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(w, w), nn.ReLU(), nn.Linear(w, w))
        self.double_skip = double_skip

    def _residual(self, x, h):
        return x + h if self.double_skip else h

    def forward(self, x):
        return x + self._residual(x, self.f(x))


class ResMLP(nn.Module):
    def __init__(self, d, w, depth, k, double_skip):
        super().__init__()
        self.inp = nn.Linear(d, w)
        self.blocks = nn.ModuleList([Block(w, double_skip) for _ in range(depth)])
        self.out = nn.Linear(w, k)

    def forward(self, x):
        h = self.inp(x)
        for b in self.blocks:
            h = b(h)
        return self.out(h)


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.manual_seed(0); torch.set_num_threads(1)
    g = torch.Generator().manual_seed(9)
    X = torch.randn(3500, 16, generator=g)
    Y = (torch.tanh(X @ torch.randn(16, 32, generator=g) / 4) @ torch.randn(32, 5, generator=g)).argmax(1)
    Xtr, Ytr, Xva, Yva = X[:2500], Y[:2500], X[2500:], Y[2500:]
    model = ResMLP(16, 48, 16, 5, double_skip=not args.control)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for ep in range(6):
        perm = torch.randperm(2500); ls = []; gmax = 0.0
        for i in range(0, 2500, 50):
            b = perm[i:i + 50]
            loss = F.cross_entropy(model(Xtr[b]), Ytr[b])
            opt.zero_grad(); loss.backward()
            gmax = max(gmax, model.inp.weight.grad.norm().item())
            opt.step(); ls.append(loss.item())
        with torch.no_grad():
            o = model(Xva); vl = F.cross_entropy(o, Yva).item(); va = (o.argmax(1) == Yva).float().mean().item()
        tl = sum(ls) / len(ls)
        print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f} max_first_layer_grad {gmax:.3e}")
    chance = torch.bincount(Yva).max().item() / len(Yva)
    print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": chance}))


if __name__ == "__main__":
    main()
