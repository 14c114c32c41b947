# expect:
# allow:
# forbid: *
# evidence: in-domain val_loss 1.92 before fine-tuning -> 1.85 after (domain entropy floor 1.79, uniform 3.18); general-domain val stays 1.74 (floor 1.67); pre-training reached val 1.70
"""Two-stage workflow: a GRU LM is pre-trained on a large 'general' token stream (Adam 3e-3),
checkpointed to a temp dir, re-loaded and then fine-tuned on a small in-domain stream from a
related source (a quarter of the transition rows are mixed 75:25 with new ones) with a deliberately low learning rate
(Adam 5e-4, 6x below pre-training, 150 steps, early-stopping on in-domain val) so as not to forget the general
knowledge. During fine-tuning the loss only moves a little -- it already starts near its floor;
that is intended. Both sources are Markov chains, so the best achievable losses are printed.
"""
import copy
import json
import math
import os
import tempfile

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(17)
g = torch.Generator().manual_seed(17)
V, T, BS = 24, 32, 32


def random_rows(n):
    logits = torch.randn(n, V, generator=g) * 2.5
    return logits.softmax(-1)


PA = random_rows(V)
PB = PA.clone()
changed = torch.randperm(V, generator=g)[: V // 4]
PB[changed] = 0.75 * PA[changed] + 0.25 * random_rows(len(changed))


def sample(P, n):
    out = torch.empty(n, dtype=torch.long)
    out[0] = 0
    u = torch.rand(n, generator=g)
    cdf = P.cumsum(-1)
    for i in range(1, n):
        out[i] = min(int(torch.searchsorted(cdf[out[i - 1]], u[i])), V - 1)
    return out


def entropy_rate(P):
    pi = torch.ones(V) / V
    for _ in range(200):
        pi = pi @ P
    return -(pi[:, None] * P * P.clamp_min(1e-12).log()).sum().item()


gen_train, gen_val = sample(PA, 40000), sample(PA, 4000)
dom_train, dom_val = sample(PB, 4000), sample(PB, 4000)


def batch(d):
    ix = torch.randint(len(d) - T - 1, (BS,), generator=g)
    return torch.stack([d[i:i + T] for i in ix]), torch.stack([d[i + 1:i + T + 1] for i in ix])


class GRULM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.gru = nn.GRU(32, 64, batch_first=True)
        self.out = nn.Linear(64, V)

    def forward(self, x):
        return self.out(self.gru(self.emb(x))[0])


@torch.no_grad()
def eval_loss(model, d):
    x = torch.stack([d[i:i + T] for i in range(0, len(d) - T - 1, T)])
    y = torch.stack([d[i + 1:i + T + 1] for i in range(0, len(d) - T - 1, T)])
    return F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1)).item()


def train(model, data, val, lr, steps, tag, patience=None):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    best, best_state, bad = float("inf"), None, 0
    for step in range(steps):
        x, y = batch(data)
        loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 25 == 0 or step == steps - 1:
            vl = eval_loss(model, val)
            print(f"[{tag}] step {step} train_loss {loss.item():.4f} val_loss {vl:.4f}")
            if patience is not None:
                if vl < best - 1e-4:
                    best, best_state, bad = vl, copy.deepcopy(model.state_dict()), 0
                else:
                    bad += 1
                    if bad >= patience:
                        break
    if best_state is not None:
        model.load_state_dict(best_state)


with tempfile.TemporaryDirectory() as tmp:
    base = GRULM()
    train(base, gen_train, gen_val, 3e-3, 400, "pretrain")
    ckpt = os.path.join(tmp, "pretrained.pt")
    torch.save(base.state_dict(), ckpt)
    model = GRULM()
    model.load_state_dict(torch.load(ckpt))
before = eval_loss(model, dom_val)
train(model, dom_train, dom_val, 5e-4, 150, "finetune", patience=3)
after = eval_loss(model, dom_val)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(after, 4), "val_loss_before_finetune": round(before, 4),
    "train_loss": round(eval_loss(model, dom_train), 4),
    "general_val_loss_after": round(eval_loss(model, gen_val), 4),
    "domain_entropy_floor": round(entropy_rate(PB), 4), "general_entropy_floor": round(entropy_rate(PA), 4),
    "uniform_loss": round(math.log(V), 4)}))
