# expect: exploding_gradients
# allow: poor_initialization, non_convergence, learning_rate_too_high, high_bias, dead_units, non_finite
# forbid: *
# evidence: 1.1*I: grad norm max 1.7e8 in epoch 0, median 760-1800 every epoch; val MSE 4.11 after 5 epochs (target var 0.67). Control (1.0*I): grad-norm median ~1.8 (one 1.3e4 spike at the first step), val MSE 0.416 and falling
# control: --control
# One-step-ahead forecasting of a noisy two-tone signal with an IRNN (ReLU RNN whose recurrent matrix
# is initialised to the identity, Le et al. 2015). Planted: the recurrent matrix is initialised to
# 1.1 * I ("a bit above 1 to remember longer"), so over a 60-step window the backward pass grows
# like 1.1^60 and gradient norms explode. No clipping. --control: the standard 1.0 * I.
import json
import math
import sys
import torch
import torch.nn as nn

CFG = dict(window=60, hidden=48, lr=2e-3, epochs=5, batch=64, recurrent_scale=1.0 if "--control" in sys.argv else 1.1)


def make_series(n=3000):
    t = torch.arange(n).float()
    return torch.sin(2 * math.pi * t / 37) + 0.5 * torch.sin(2 * math.pi * t / 11) + 0.2 * torch.randn(n)


def to_windows(s, w):
    X = torch.stack([s[i:i + w] for i in range(len(s) - w - 1)]).unsqueeze(-1)
    return X, s[w:len(s) - 1]


class IRNN(nn.Module):
    def __init__(self, hidden, scale):
        super().__init__()
        self.rnn = nn.RNN(1, hidden, nonlinearity="relu", batch_first=True)
        self.out = nn.Linear(hidden, 1)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(scale * torch.eye(hidden))
            self.rnn.bias_hh_l0.zero_()
            self.rnn.bias_ih_l0.zero_()

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1]).squeeze(-1)


def train(cfg):
    torch.manual_seed(0)
    torch.set_num_threads(1)
    s = make_series()
    X, Y = to_windows(s, cfg["window"])
    split = int(0.8 * len(X))
    Xtr, Ytr, Xva, Yva = X[:split], Y[:split], X[split:], Y[split:]
    model = IRNN(cfg["hidden"], cfg["recurrent_scale"])
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    mse = nn.MSELoss()
    for ep in range(cfg["epochs"]):
        perm = torch.randperm(split)
        norms = []
        for i in range(0, split, cfg["batch"]):
            b = perm[i:i + cfg["batch"]]
            loss = mse(model(Xtr[b]), Ytr[b])
            opt.zero_grad()
            loss.backward()
            norms.append(math.sqrt(sum(p.grad.pow(2).sum().item() for p in model.parameters())))
            opt.step()
        with torch.no_grad():
            va = mse(model(Xva), Yva).item()
            tr = mse(model(Xtr), Ytr).item()
        print(f"epoch {ep}: train_mse {tr:.4f} val_mse {va:.4f} grad-norm median {sorted(norms)[len(norms) // 2]:.3g} max {max(norms):.3g}")
    return {"val_mse": va, "train_mse": tr, "val_loss": va, "train_loss": tr, "target_var": Yva.var().item(),
            "max_grad_norm": max(norms), "noise_var": 0.04}


if __name__ == "__main__":
    m = train(CFG)
    print("CORPUS_METRIC " + json.dumps({k: float(f"{v:.4g}") for k, v in m.items()}))
