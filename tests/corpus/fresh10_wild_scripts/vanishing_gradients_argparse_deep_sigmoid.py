"""Deep 'classic' MLP on digits: 10 hidden sigmoid layers, plain SGD.

python vanishing_gradients_argparse_deep_sigmoid.py --act sigmoid --depth 10
"""
# expect: vanishing_gradients
# allow: saturated_activations, non_convergence, high_bias, poor_initialization, learning_rate_too_low
# forbid: *
# evidence: 10 sigmoid layers + SGD: first-hidden-layer grad norm 4.3e-09 vs last hidden 9.6e-02 (ratio 4e-08), stuck at chance: val_acc 0.100, val_loss 2.310, train_loss 2.311; --control (ReLU + He init, same depth/lr) grads 0.99 vs 0.44, val_acc 0.949, val_loss 0.318
# control: --control
import argparse, json
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def get_args():
    p = argparse.ArgumentParser()
    p.add_argument("--depth", type=int, default=10)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--act", default="sigmoid", choices=["sigmoid", "relu"])
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--epochs", type=int, default=15)
    p.add_argument("--control", action="store_true", help="use ReLU (+He init) instead of sigmoid")
    a = p.parse_args()
    if a.control:
        a.act = "relu"
    return a


class DeepMLP(nn.Module):
    def __init__(self, d_in, width, depth, act):
        super().__init__()
        layers, d = [], d_in
        for _ in range(depth):
            lin = nn.Linear(d, width)
            if act == "relu":
                nn.init.kaiming_normal_(lin.weight, nonlinearity="relu"); nn.init.zeros_(lin.bias)
            layers += [lin, nn.Sigmoid() if act == "sigmoid" else nn.ReLU()]
            d = width
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(d, 10)

    def forward(self, x):
        return self.out(self.body(x))


def main():
    args = get_args()
    torch.set_num_threads(1); torch.manual_seed(0)
    X, y = load_digits(return_X_y=True)
    X = (X - X.mean(0)) / (X.std(0) + 1e-6)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)
    model = DeepMLP(64, args.width, args.depth, args.act)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    lins = [m for m in model.body if isinstance(m, nn.Linear)]
    g_first, g_last = [], []
    for ep in range(args.epochs):
        model.train()
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(perm), 32):
            b = perm[i:i + 32]
            loss = crit(model(Xtr[b]), ytr[b])
            opt.zero_grad(); loss.backward()
            g_first.append(lins[0].weight.grad.norm().item()); g_last.append(lins[-1].weight.grad.norm().item())
            opt.step()
        model.eval()
        with torch.no_grad():
            o = model(Xva); vl = crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        print(f"ep {ep:2d} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f} |g_first| {np.mean(g_first[-20:]):.2e} |g_last| {np.mean(g_last[-20:]):.2e}")
    with torch.no_grad():
        tl = crit(model(Xtr), ytr).item()
    ratio = float(np.mean(g_first) / np.mean(g_last))
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1,
                                         "grad_norm_first_hidden": float(f"{np.mean(g_first):.3e}"), "grad_norm_last_hidden": float(f"{np.mean(g_last):.3e}"), "first_over_last": float(f"{ratio:.3e}")}))


if __name__ == "__main__":
    main()
