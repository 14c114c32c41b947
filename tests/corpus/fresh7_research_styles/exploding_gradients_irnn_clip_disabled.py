# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, high_bias, dead_units, poor_initialization
# forbid: *
# evidence: planted (no clip): first-step grad norm 8.6e5, the first update makes everything NaN (grad norm NaN from iter 2), val MSE NaN; control (clip 1.0, same init): raw grad norms 1e5-8.6e5 for the first steps are clipped, median 3.6, val MSE 0.024 vs target variance 0.168
# control: --control
"""IRNN (Le, Jaitly & Hinton 2015) on the "adding problem", research-code style: an argparse
namespace of hyper-parameters, nn.RNN(nonlinearity='relu') with the recurrent matrix initialised to
the identity (and a gain of 1.05 from a config "recurrent_gain"), SGD momentum, sequence length 60,
per-200-iteration eval on a held-out set, and the usual `if args.clip > 0: clip_grad_norm_` guard.

Planted: --clip 0 (the paper used gradient clipping): the gradient norm through 60 ReLU-recurrent
steps blows up by orders of magnitude within the first iterations and the loss diverges/NaNs.
--control sets --clip 1.0 (only change).
"""
import argparse, json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def adding_problem(n, T, g):
    vals = torch.rand(n, T, generator=g)
    mask = torch.zeros(n, T)
    a = torch.randint(0, T // 2, (n,), generator=g); b = torch.randint(T // 2, T, (n,), generator=g)
    mask[torch.arange(n), a] = 1; mask[torch.arange(n), b] = 1
    return torch.stack([vals, mask], -1), (vals * mask).sum(1)


class IRNN(nn.Module):
    def __init__(self, hidden, gain):
        super().__init__()
        self.rnn = nn.RNN(2, hidden, nonlinearity="relu", batch_first=True); self.fc = nn.Linear(hidden, 1)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(hidden) * gain); self.rnn.bias_hh_l0.zero_(); self.rnn.bias_ih_l0.zero_()
            nn.init.normal_(self.rnn.weight_ih_l0, 0, 0.5)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1]).squeeze(-1)


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true")
    ap.add_argument("--clip", type=float, default=0.0); ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--hidden", type=int, default=64); ap.add_argument("--recurrent_gain", type=float, default=1.05)
    ap.add_argument("--seq_len", type=int, default=60); ap.add_argument("--iters", type=int, default=800)
    args = ap.parse_args()
    if args.control:
        args.clip = 1.0
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    xva, yva = adding_problem(1000, args.seq_len, g)
    model = IRNN(args.hidden, args.recurrent_gain)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    gns = []
    for it in range(1, args.iters + 1):
        x, y = adding_problem(32, args.seq_len, g)
        loss = F.mse_loss(model(x), y)
        opt.zero_grad(); loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip if args.clip > 0 else float("inf"))
        gns.append(gn.item()); opt.step()
        if it % 100 == 0:
            with torch.no_grad():
                vm = F.mse_loss(model(xva), yva).item()
            print(f"iter {it:4d} | train_mse {loss.item():.4f} | grad_norm {gn.item():.3e} (max so far {max(gns):.3e}) | valid_mse {vm:.4f}")
    print("probe: first 4 grad norms " + ", ".join(f"{v:.3e}" for v in gns[:4]) + f"; first non-finite at iter {next((i + 1 for i, v in enumerate(gns) if not math.isfinite(v)), None)}")
    print(f"probe: grad-norm first step {gns[0]:.3e}, median {sorted(gns)[len(gns) // 2]:.3e}, max {max(gns):.3e}")
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5) if math.isfinite(vm) else vm, "target_var": round(yva.var().item(), 4),
                                         "baseline_mse_predict_1": round(F.mse_loss(torch.ones_like(yva), yva).item(), 4)}))


if __name__ == "__main__":
    main()
