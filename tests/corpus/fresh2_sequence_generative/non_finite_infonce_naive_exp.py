# expect: non_finite
# allow: exploding_gradients, non_convergence, high_bias
# forbid: *
# evidence: planted (hand-written exp/sum/log): trains normally to val top1 0.850 by it 750, then a score passes 88.7, loss and all weights become NaN (it ~800; seeds 1-3: it 600-1050), final val top1 0.002 (= chance 1/500); control (F.cross_entropy on the same scores): no NaN, val top1 0.874, val InfoNCE 0.351
# control: --control
"""Contrastive (InfoNCE) embedding model: two noisy / randomly-masked views of the same synthetic
object should embed close together.  The critic is an unnormalised dot product (CPC style), so the
scores keep growing while training sharpens the positives.  The loss was written out by hand:
    num = exp(s_ii); den = sum_j exp(s_ij); loss = -log(num / den)
Once a score passes ~88.7, exp() overflows float32 to inf, inf/inf = NaN, and the NaN goes into
every weight on that step.  --control computes the very same loss with F.cross_entropy (which
uses log-sum-exp); the model, the data and the optimiser are unchanged."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)

STABLE_LOSS = "--control" in sys.argv
STEPS, BATCH, LR = 1800, 128, 3e-3

_g = torch.Generator().manual_seed(5)
MIX1 = torch.randn(8, 32, generator=_g) / 8 ** 0.5
MIX2 = torch.randn(32, 32, generator=_g) / 32 ** 0.5


def objects(n, gen):
    z = torch.randn(n, 8, generator=gen)
    return 2 * torch.tanh(z @ MIX1) @ MIX2


def augment(x, gen):
    keep = (torch.rand(x.shape, generator=gen) > 0.1).float()
    return (x + 0.1 * torch.randn(x.shape, generator=gen)) * keep


encoder = nn.Sequential(
    nn.Linear(32, 128), nn.ReLU(),
    nn.Linear(128, 128), nn.ReLU(),
    nn.Linear(128, 64),
)
opt = torch.optim.Adam(encoder.parameters(), lr=LR)


def info_nce(za, zb):
    scores = za @ zb.T
    if STABLE_LOSS:
        return F.cross_entropy(scores, torch.arange(len(za)))
    num = torch.exp(scores.diag())
    den = torch.exp(scores).sum(dim=1)
    return -torch.log(num / den).mean()


gen_val = torch.Generator().manual_seed(9)
val_obj = objects(500, gen_val)
val_a, val_b = augment(val_obj, gen_val), augment(val_obj, gen_val)


def evaluate():
    encoder.eval()
    with torch.no_grad():
        za, zb = encoder(val_a), encoder(val_b)
        scores = za @ zb.T
        top1 = (scores.argmax(1) == torch.arange(500)).float().mean().item()
        loss = F.cross_entropy(scores, torch.arange(500)).item()
    encoder.train()
    return loss, top1


gen = torch.Generator().manual_seed(1)
for step in range(STEPS):
    x = objects(BATCH, gen)
    za, zb = encoder(augment(x, gen)), encoder(augment(x, gen))
    loss = info_nce(za, zb)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 150 == 0:
        vl, top1 = evaluate()
        print(f"it {step:5d} loss {loss.item():.4f} max score {(za @ zb.T).max().item():7.2f} "
              f"| val infonce {vl:.4f} top1 {top1:.3f}")

vl, top1 = evaluate()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": vl if vl == vl else None, "val_top1_retrieval": round(top1, 4),
    "train_loss": loss.item() if loss.item() == loss.item() else None, "chance_top1": 0.002}))
