# expect: learning_rate_too_high
# allow: exploding_gradients, non_convergence, non_finite, saturated_activations, high_bias
# forbid: *
# evidence: control (lr=1e-3) val_acc 0.769 val_loss 0.491 and falling every epoch; planted (Adam lr=0.1) train loss jumps 0.85-0.98 (> ln2 = 0.69) for all 6 epochs, val_acc 0.524 (majority 0.51), max |recurrent weight| 10.2 vs 0.29
# control: --control
# native-log: gru_run.jsonl
# log-expect:
# log-allow: learning_rate_too_high, non_convergence
"""Sentiment-like classification of token sequences (vocab 300, length 30, 2 classes decided by
positive-minus-negative keyword counts) with Embedding -> GRU(64) -> Linear, a small Trainer class,
Adam, 6 epochs, no gradient clipping. Writes gru_run.jsonl (one line per epoch).

Planted bug: the config says lr=0.1 (the intended 1e-3 lost two zeros); Adam's per-step update is
then ~0.1 per weight, the recurrent weights blow past any sensible scale and the loss jumps around
instead of decreasing. `--control` uses lr=1e-3; nothing else changes.
"""
import json
import os
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

V, L = 300, 30


def reviews(n, g):
    # ids 3..22 are "positive" words, 23..42 "negative" words, the rest neutral
    x = torch.randint(3, V, (n, L), generator=g)
    pos = ((x >= 3) & (x < 23)).sum(1)
    neg = ((x >= 23) & (x < 43)).sum(1)
    y = (pos - neg + 0.5 * torch.randn(n, generator=g) > 0).long()
    return x, y


class Clf(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.gru = nn.GRU(32, 64, batch_first=True)
        self.fc = nn.Linear(64, 2)

    def forward(self, x):
        _, h = self.gru(self.emb(x))
        return self.fc(h[-1])


class Trainer:
    def __init__(self, model, lr):
        self.model, self.opt = model, torch.optim.Adam(model.parameters(), lr=lr)

    def epoch(self, x, y, bs=64):
        perm = torch.randperm(len(x))
        tot = 0.0
        for i in range(0, len(x), bs):
            idx = perm[i:i + bs]
            loss = F.cross_entropy(self.model(x[idx]), y[idx])
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            tot += loss.item() * len(idx)
        return tot / len(x)

    @torch.no_grad()
    def evaluate(self, x, y):
        o = self.model(x)
        return F.cross_entropy(o, y).item(), (o.argmax(1) == y).float().mean().item()


def main():
    lr = 1e-3 if "--control" in sys.argv else 0.1   # BUG: meant 1e-3
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(15)
    xtr, ytr = reviews(3000, g)
    xva, yva = reviews(800, g)
    tr = Trainer(Clf(), lr)
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "gru_run.jsonl")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as fh:
        for ep in range(6):
            tl = tr.epoch(xtr, ytr)
            vl, va = tr.evaluate(xva, yva)
            fh.write(json.dumps({"epoch": ep, "lr": lr, "train_loss": tl, "eval_loss": vl, "eval_acc": va}) + "\n")
            print(f"epoch {ep} train_loss {tl:.4f} eval_loss {vl:.4f} eval_acc {va:.3f}")
    tl, ta = tr.evaluate(xtr, ytr)
    w = tr.model.gru.weight_hh_l0.abs().max().item()
    print(f"probe: max |recurrent weight| at end = {w:.2f}")
    chance = (torch.bincount(yva).max() / len(yva)).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "train_acc": round(ta, 4), "chance_acc": round(chance, 4)}))


if __name__ == "__main__":
    main()
