# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (no sign): step-5 update/weight ratio 8.4e-06, train_loss 1.371->1.366 over 12 epochs, val_acc 0.343 (majority 0.309); control (sign restored): ratio 1.1e-03, val_acc 0.768, val_loss 0.558
# control: --control
"""A hand-written Lion optimiser (torch.optim.Optimizer subclass, as in lucidrains/lion-pytorch)
training an MLP classifier on synthetic 4-class tabular data with a per-iteration warm-up + cosine
lr table.

Planted: the Lion step forgets the sign(): it applies lr * (beta1*m + (1-beta1)*g) instead of
lr * sign(...). With a Lion-sized lr (3e-4) and gradients ~1e-2 the updates are ~100x too small
(first-step update/weight ratio ~1e-6) and the model barely moves. --control restores sign().
"""
import argparse, json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class Lion(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0, use_sign=True):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))
        self.use_sign = use_sign

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["exp_avg"] = torch.zeros_like(p)
                exp_avg = state["exp_avg"]; b1, b2 = group["betas"]
                p.mul_(1 - group["lr"] * group["weight_decay"])
                update = exp_avg * b1 + p.grad * (1 - b1)
                if self.use_sign:
                    update = update.sign()
                p.add_(update, alpha=-group["lr"])
                exp_avg.mul_(b2).add_(p.grad, alpha=1 - b2)


def make_data(n, g, W):
    x = torch.randn(n, 20, generator=g)
    logits = torch.tanh(x @ W[0]) @ W[1]
    y = (logits + 0.3 * torch.randn(n, 4, generator=g)).argmax(1)
    return x, y


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    W = (torch.randn(20, 32, generator=g) / 20 ** 0.5 * 2, torch.randn(32, 4, generator=g))
    xtr, ytr = make_data(4000, g, W); xva, yva = make_data(1000, g, W)
    model = nn.Sequential(nn.Linear(20, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(), nn.Linear(128, 4))
    opt = Lion(model.parameters(), lr=3e-4, weight_decay=0.1, use_sign=args.control)
    epochs, bs = 12, 64; ipe = len(xtr) // bs; total = epochs * ipe; warm = ipe
    lr_table = [3e-4 * (i + 1) / warm if i < warm else 3e-4 * 0.5 * (1 + math.cos(math.pi * (i - warm) / (total - warm)))
                for i in range(total)]
    it = 0
    for epoch in range(epochs):
        perm = torch.randperm(len(xtr), generator=g); tot = 0.0
        for i in range(ipe):
            idx = perm[i * bs:(i + 1) * bs]
            for pg in opt.param_groups:
                pg["lr"] = lr_table[it]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward()
            if it == 5:
                w0 = [p.detach().clone() for p in model.parameters()]
            opt.step()
            if it == 5:
                ratio = max(((p.detach() - a).norm() / a.norm()).item() for p, a in zip(model.parameters(), w0))
                print(f"probe: step-5 max update/weight ratio {ratio:.2e}")
            tot += loss.item(); it += 1
        with torch.no_grad():
            out = model(xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        print(f"epoch {epoch:2d} | lr {lr_table[it - 1]:.2e} | train_loss {tot / ipe:.4f} | val_loss {vl:.4f} | val_acc {va:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / ipe, 4),
                                         "chance_acc": round(float(torch.bincount(yva).max()) / len(yva), 4)}))


if __name__ == "__main__":
    main()
