# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, high_bias, dead_units
# forbid: *
# evidence: control (Adam lr 5e-4) reaches val token acc 0.909 (val_loss 0.35); planted (lr 5e-2) stays at 0.145 / val_loss 2.25 (chance 0.10, ln10 = 2.30)
# control: --control
"""nn.Transformer (encoder-decoder) learning a date-format conversion-like mapping:
source = 8 digit tokens "DDMMYYYY", target = "YYYYMMDD" (a fixed permutation), teacher forced.

Planted: the Adam learning rate was typed as 5e-2 (meant 5e-4) and there is no warm-up;
post-LN transformers blow up / collapse at that step size. --control uses 5e-4.
"""
import argparse, json, math
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()
LR = 5e-4 if args.control else 5e-2

torch.manual_seed(0)
torch.set_num_threads(1)

BOS = 10
V = 11
PERM = [4, 5, 6, 7, 2, 3, 0, 1]


def batch(n):
    src = torch.randint(0, 10, (n, 8))
    tgt = src[:, PERM]
    dec_in = torch.cat([torch.full((n, 1), BOS), tgt[:, :-1]], 1)
    return src, dec_in, tgt


d = 48
emb = nn.Embedding(V, d)
pos = nn.Parameter(torch.randn(8, d) * 0.1)
transformer = nn.Transformer(d, 4, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=96,
                             dropout=0.0, batch_first=True)
head = nn.Linear(d, V)
params = list(emb.parameters()) + [pos] + list(transformer.parameters()) + list(head.parameters())
opt = torch.optim.Adam(params, lr=LR)
causal = nn.Transformer.generate_square_subsequent_mask(8)


def forward(src, dec_in):
    h = transformer(emb(src) + pos, emb(dec_in) + pos, tgt_mask=causal, tgt_is_causal=True)
    return head(h)


vsrc, vin, vtgt = batch(512)
for step in range(251):
    src, dec_in, tgt = batch(64)
    loss = F.cross_entropy(forward(src, dec_in).reshape(-1, V), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 0:
        with torch.no_grad():
            vo = forward(vsrc, vin)
            vl = F.cross_entropy(vo.reshape(-1, V), vtgt.reshape(-1)).item()
            va = (vo.argmax(-1) == vtgt).float().mean().item()
        print(f"step {step:3d} loss {loss.item():.4f} val_loss {vl:.4f} val_tok_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(loss.item(), 4),
                                     "chance_acc": 0.1}))
