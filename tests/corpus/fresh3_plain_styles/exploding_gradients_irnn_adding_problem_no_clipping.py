# expect: exploding_gradients
# allow: non_finite, non_convergence, learning_rate_too_high, dead_units
# forbid: *
# evidence: planted (no clipping): grad norm spikes to 1.8e12 (73 steps > 1e3, loss up to 6e10), then the net collapses to a constant, val_mse 0.1636 = target var 0.1639; control (clip 1.0): max grad norm 45, val_mse 0.054
# control: --control
"""IRNN (ReLU RNN with identity-initialised recurrence, Le et al. 2015) on the adding problem,
sequence length 25, SGD with momentum. The IRNN recipe relies on gradient-norm clipping; this
script forgot the clip_grad_norm_ call, so through the near-identity ReLU recurrence the gradient
norm blows up and the updates throw the model off (after the
blow-up the ReLU recurrence collapses to a constant prediction). --control adds
torch.nn.utils.clip_grad_norm_(max_norm=1.0) and changes nothing else.
"""
import argparse
import json
import math

import torch
from torch import nn


def adding_batch(n, T, g):
    vals = torch.rand(n, T, generator=g)
    mask = torch.zeros(n, T)
    for i in range(n):
        a, b = torch.randperm(T, generator=g)[:2]
        mask[i, a] = 1.0
        mask[i, b] = 1.0
    x = torch.stack([vals, mask], 2)
    y = (vals * mask).sum(1, keepdim=True)
    return x, y


class IRNN(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.rnn = nn.RNN(2, hidden, nonlinearity="relu", batch_first=True)
        nn.init.eye_(self.rnn.weight_hh_l0)
        nn.init.zeros_(self.rnn.bias_hh_l0)
        nn.init.zeros_(self.rnn.bias_ih_l0)
        nn.init.normal_(self.rnn.weight_ih_l0, std=0.1)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    T = 25
    xva, yva = adding_batch(500, T, g)
    model = IRNN()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    grad_norms = []
    for step in range(900):
        x, y = adding_batch(64, T, g)
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        gn = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters()))
        grad_norms.append(gn)
        if args.control:
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        opt.step()
        if step % 50 == 0:
            with torch.no_grad():
                vm = nn.functional.mse_loss(model(xva), yva).item()
            print(f"step {step} loss {loss.item():.4f} grad_norm {gn:.3g} val_mse {vm:.4f}")
    with torch.no_grad():
        val_mse = nn.functional.mse_loss(model(xva), yva).item()
    print("CORPUS_METRIC " + json.dumps({
        "val_mse": round(val_mse, 4) if math.isfinite(val_mse) else None,
        "target_var": round(yva.var().item(), 4),
        "baseline_mse_predict_1": round(((yva - 1.0) ** 2).mean().item(), 4),
        "max_grad_norm": float(f"{max(grad_norms):.4g}") if math.isfinite(max(grad_norms)) else None,
        "steps_grad_norm_over_1e3": sum(1 for v in grad_norms if not v < 1e3),
        "median_grad_norm": float(f"{sorted(grad_norms)[len(grad_norms) // 2]:.4g}"),
    }))


if __name__ == "__main__":
    main()
