# expect:
# allow:
# forbid: *
# evidence: top-2 router over 4 expert MLPs + load-balancing loss, AdamW 3e-3 cosine, 480 steps; held-out val err 0.118 (val_acc 0.882, val_loss 0.36) vs Bayes err 0.10 built into the data (10% flipped labels), train err 0.114; experts used evenly (0.24-0.26)
"""Mixture-of-experts classifier: a softmax router picks the top-2 of N expert MLPs per example (with the
Switch-style load-balancing auxiliary loss). Synthetic tabular data with 4 regimes, each with its own decision
rule, and 10% of the labels flipped at random (so the Bayes error is ~0.10)."""
import argparse, json
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


@dataclass
class MoEConfig:
    n_experts: int = 4
    expert_hidden: int = 32
    top_k: int = 2
    aux_weight: float = 0.01
    lr: float = 3e-3
    wd: float = 1e-2
    steps: int = 480
    batch: int = 128
    n_train: int = 3000
    flip: float = 0.10
    seed: int = 0


def make_data(n, flip, rng, protos, rules):
    regime = rng.integers(0, 4, n)
    x = protos[regime] + rng.normal(size=(n, 10))
    logits = np.einsum("nd,nd->n", x, rules[regime])
    y = (logits > 0).astype(np.int64)
    f = rng.random(n) < flip
    y[f] = 1 - y[f]
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


class Expert(nn.Sequential):
    def __init__(self, d, h):
        super().__init__(nn.Linear(d, h), nn.GELU(), nn.Linear(h, h), nn.GELU(), nn.Linear(h, 2))


class MoE(nn.Module):
    def __init__(self, c, d=10):
        super().__init__()
        self.router = nn.Linear(d, c.n_experts)
        self.experts = nn.ModuleList([Expert(d, c.expert_hidden) for _ in range(c.n_experts)])
        self.k = c.top_k

    def forward(self, x):
        probs = F.softmax(self.router(x), -1)
        topv, topi = probs.topk(self.k, -1)
        gates = torch.zeros_like(probs).scatter(1, topi, topv / topv.sum(1, keepdim=True))
        out = torch.stack([e(x) for e in self.experts], 1)  # dense compute, fine at this size
        y = (gates[..., None] * out).sum(1)
        # load-balancing loss: fraction routed x mean router prob
        frac = F.one_hot(topi[:, 0], probs.shape[1]).float().mean(0)
        aux = probs.shape[1] * (frac * probs.mean(0)).sum()
        return y, aux


@torch.no_grad()
def evaluate(model, X, y):
    model.eval(); out, _ = model(X)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = MoEConfig()
    torch.manual_seed(c.seed); rng = np.random.default_rng(c.seed)
    protos = rng.normal(size=(4, 10)) * 3; rules = rng.normal(size=(4, 10))
    Xtr, ytr = make_data(c.n_train, c.flip, rng, protos, rules); Xva, yva = make_data(3000, c.flip, rng, protos, rules)
    model = MoE(c)
    opt = torch.optim.AdamW(model.parameters(), lr=c.lr, weight_decay=c.wd)
    epochs = -(-c.steps // -(-len(ytr) // c.batch))  # same number of optimiser steps whatever the data size
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    for ep in range(epochs):
        model.train(); perm = torch.randperm(len(ytr))
        for i in range(0, len(perm), c.batch):
            idx = perm[i:i + c.batch]
            out, aux = model(Xtr[idx])
            loss = F.cross_entropy(out, ytr[idx]) + c.aux_weight * aux
            opt.zero_grad(); loss.backward(); opt.step()
        sched.step()
        if ep % max(1, epochs // 5) == 0 or ep == epochs - 1:
            vl, va = evaluate(model, Xva, yva); tl, ta = evaluate(model, Xtr, ytr)
            print(f"epoch {ep+1} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
    vl, va = evaluate(model, Xva, yva); tl, ta = evaluate(model, Xtr, ytr)
    with torch.no_grad():
        use = F.one_hot(F.softmax(model.router(Xva), -1).argmax(1), c.n_experts).float().mean(0)
    print("expert usage (top-1 share on val):", [round(u, 3) for u in use.tolist()])
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4),
                                         "train_err": round(1 - ta, 4), "val_err": round(1 - va, 4), "bayes_err": c.flip, "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
