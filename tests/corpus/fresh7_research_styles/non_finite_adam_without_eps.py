# expect: non_finite
# allow: exploding_gradients, non_convergence, learning_rate_too_high
# forbid: *
# evidence: planted (eps=0): 5 of 5 parameter tensors contain NaN by the end of epoch 1 (0/0 on zero-grad embedding rows), train/val loss NaN from epoch 1, val_acc 0.295 (chance 0.33); control (eps=1e-8): val_acc 0.949, val_loss 0.169, no NaN
# control: --control
"""fairseq-flavoured text classifier: token embeddings (padding_idx) -> mean pool -> MLP, trained with
a hand-written Adam (a torch.optim.Optimizer subclass mimicking fairseq's FairseqAdam) and an
inverse-sqrt lr schedule with warm-up; progress lines in fairseq's "| epoch 001 | loss ..." style.

Planted: the hand-written Adam computes  p -= lr * m_hat / sqrt(v_hat)  with no eps. Embedding rows
of tokens absent from a batch (and the padding row) have grad exactly 0, so their update is 0/0 = NaN
and the weights, then the loss, become NaN. --control adds eps=1e-8 to the denominator.
"""
import argparse, json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class HandAdam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.98), eps=0.0, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                st = self.state[p]
                if not st:
                    st["step"] = 0; st["exp_avg"] = torch.zeros_like(p); st["exp_avg_sq"] = torch.zeros_like(p)
                st["step"] += 1; t = st["step"]
                st["exp_avg"].mul_(b1).add_(p.grad, alpha=1 - b1)
                st["exp_avg_sq"].mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
                m_hat = st["exp_avg"] / (1 - b1 ** t); v_hat = st["exp_avg_sq"] / (1 - b2 ** t)
                if group["weight_decay"]:
                    p.mul_(1 - group["lr"] * group["weight_decay"])
                p.add_(-group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))


class Classifier(nn.Module):
    def __init__(self, vocab=400, d=48, ncls=3):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d, padding_idx=0)
        self.fc1 = nn.Linear(d, 64); self.fc2 = nn.Linear(64, ncls)

    def forward(self, tokens):
        mask = (tokens != 0).float().unsqueeze(-1)
        h = (self.embed_tokens(tokens) * mask).sum(1) / mask.sum(1).clamp_min(1)
        return self.fc2(F.relu(self.fc1(h)))


def make_data(n, g, vocab=400):
    y = torch.randint(0, 3, (n,), generator=g)
    L = torch.randint(6, 20, (n,), generator=g)
    # Zipf-ish token distribution; class-indicative tokens live in disjoint ranges 1..60
    toks = (torch.rand(n, 20, generator=g) ** 2.5 * (vocab - 61)).long() + 61
    cue = 1 + y[:, None] * 20 + torch.randint(0, 20, (n, 20), generator=g)
    use_cue = torch.rand(n, 20, generator=g) < 0.25
    toks = torch.where(use_cue, cue, toks)
    toks[torch.arange(20)[None] >= L[:, None]] = 0
    return toks, y


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    xtr, ytr = make_data(3000, g); xva, yva = make_data(800, g)
    model = Classifier()
    opt = HandAdam(model.parameters(), lr=1e-3, eps=1e-8 if args.control else 0.0, weight_decay=0.01)
    warmup, peak, bs, num_updates = 50, 2e-3, 32, 0
    for epoch in range(1, 7):
        perm = torch.randperm(len(xtr), generator=g); tot, nb = 0.0, 0
        for i in range(0, len(xtr), bs):
            idx = perm[i:i + bs]; num_updates += 1
            lr = peak * num_updates / warmup if num_updates < warmup else peak * math.sqrt(warmup / num_updates)
            for pg in opt.param_groups:
                pg["lr"] = lr
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
            if num_updates % 40 == 0:
                print(f"| epoch {epoch:03d} | {nb:4d} / {math.ceil(len(xtr) / bs)} | loss {loss.item():.3f} | lr {lr:.4e} | num_updates {num_updates}")
        with torch.no_grad():
            out = model(xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        nan_w = sum(int(torch.isnan(p).any()) for p in model.parameters())
        print(f"| epoch {epoch:03d} | valid on 'valid' subset | loss {vl:.3f} | accuracy {va:.3f} | train_loss {tot / nb:.3f} | params_with_nan {nan_w}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": round(va, 4),
                                         "train_loss": tot / nb, "chance_acc": 0.3333}))


if __name__ == "__main__":
    main()
