"""Vanilla tanh RNN (nn.RNN) classifying noisy sequences by the sign of a weighted
running sum. The recurrent matrix is given an orthogonal init - good practice - but
with gain=3.0 (copied from a ReLU-era snippet). All singular values are 3, the
dynamics are chaotic and the backward pass through 25 steps amplifies gradients
~1e4x from the last to the first time step; the recurrent-weight gradient is 10-30x
the default-init one and learning goes nowhere.
--control leaves weight_hh at PyTorch's default init (nothing else changes).
"""
# expect: exploding_gradients
# allow: saturated_activations, poor_initialization, non_convergence, high_bias
# forbid: *
# evidence: control val_acc 0.945 / val_loss 0.127; planted val_acc 0.52 / val_loss 0.690 (chance 0.50) with train loss flat at 0.69 for 12 epochs; at init |dL/dx_t| GROWS 1.7e-3 (t=24) -> 17.7 (t=0) going back in time (x1e4) in the planted run vs shrinking 4e-3 -> 6e-9 in control; weight_hh grad norm during training mean 35-72 (max 125) vs 2.4-3.9 in control; |h|>0.99 for 26-28% of planted hidden activations vs <0.5% (printed)
# control: --control
import argparse
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class SeqClassifier(nn.Module):
    def __init__(self, d_in=3, hidden=48):
        super().__init__()
        self.rnn = nn.RNN(d_in, hidden, batch_first=True, nonlinearity="tanh")
        self.out = nn.Linear(hidden, 1)

    def forward(self, x, return_states=False):
        h, _ = self.rnn(x)
        logit = self.out(h[:, -1]).squeeze(1)
        return (logit, h) if return_states else logit


def make(n, rng, T=25):
    x = rng.normal(0, 1, size=(n, T, 3)).astype(np.float32)
    w = np.linspace(0.5, 1.5, T)
    s = (x[:, :, 0] * w).sum(1) - 0.5 * (x[:, :, 1] * w[::-1]).sum(1)
    return torch.tensor(x), torch.tensor((s > 0).astype(np.float32))


def sat_frac(model, X):
    with torch.no_grad():
        _, h = model(X, return_states=True)
    return (h.abs() > 0.99).float().mean().item()


def time_grad_profile(model, X, y):
    x = X.clone().requires_grad_(True)
    loss = F.binary_cross_entropy_with_logits(model(x), y)
    g = torch.autograd.grad(loss, x)[0].norm(dim=(0, 2))
    return g


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    random.seed(24)
    np.random.seed(24)
    torch.manual_seed(24)
    rng = np.random.default_rng(24)
    Xtr, ytr = make(3000, rng)
    Xva, yva = make(800, rng)
    model = SeqClassifier()
    if not args.control:
        nn.init.orthogonal_(model.rnn.weight_hh_l0, gain=3.0)
    sr = torch.linalg.eigvals(model.rnn.weight_hh_l0.detach()).abs().max().item()
    g = time_grad_profile(model, Xtr[:256], ytr[:256])
    print(f"recurrent spectral radius {sr:.2f}; saturated fraction at init {sat_frac(model, Xva):.3f}")
    print("at init |dL/dx_t| for t = 24, 20, 15, 10, 5, 0: " + ", ".join(f"{g[t]:.2e}" for t in [24, 20, 15, 10, 5, 0]))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    for ep in range(12):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot, gn = 0.0, []
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            gn.append(model.rnn.weight_hh_l0.grad.norm().item())
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            z = model(Xva)
            vl = F.binary_cross_entropy_with_logits(z, yva).item()
            va = ((z > 0).float() == yva).float().mean().item()
        if ep % 3 == 2:
            print(f"epoch {ep} train_loss {tot / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} "
                  f"sat_frac {sat_frac(model, Xva):.3f} weight_hh_grad_norm mean {np.mean(gn):.3e} max {np.max(gn):.3e}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4),
                                        "chance_acc": 0.5, "init_grad_ratio_t0_over_tlast": float(f"{(g[0] / g[-1]).item():.3g}"),
                                        "saturated_fraction_end": round(sat_frac(model, Xva), 4)}))


if __name__ == "__main__":
    main()
