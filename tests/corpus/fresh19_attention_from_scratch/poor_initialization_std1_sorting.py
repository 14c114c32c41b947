# Sorting with a non-causal transformer encoder: input 10 digits, output at position i = the
# i-th smallest. Weights initialised "from the paper appendix" as N(0, 1) -- the author mixed up
# std=1 with std=1/sqrt(d). With d=64 every projection multiplies the scale by ~8, attention
# logits are in the hundreds and the softmax is one-hot from step 0.
# --control: N(0, 0.02) init (GPT-2 style); everything else identical.
#
# expect: poor_initialization
# allow: saturated_activations, exploding_gradients, non_convergence, vanishing_gradients, high_bias, learning_rate_too_high
# forbid: *
# evidence: planted (std=1.0): val token acc 0.306, exact-sort 0.00, val_loss 1.91 after 400 iters; control (std=0.02): val token acc 0.9995, exact 0.997, val_loss 0.009
# control: --control
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
INIT_STD = 0.02 if CONTROL else 1.0
torch.set_num_threads(1)
torch.manual_seed(3)

N_DIGITS, LEN, D, HEADS, LAYERS = 10, 10, 64, 4, 2


def sample(n):
    x = torch.randint(0, N_DIGITS, (n, LEN))
    return x, x.sort(dim=1).values


x_val, y_val = sample(1000)


class EncoderBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm_a = nn.LayerNorm(D)
        self.norm_b = nn.LayerNorm(D)
        self.wq = nn.Linear(D, D)
        self.wk = nn.Linear(D, D)
        self.wv = nn.Linear(D, D)
        self.wo = nn.Linear(D, D)
        self.ff1 = nn.Linear(D, 4 * D)
        self.ff2 = nn.Linear(4 * D, D)

    def forward(self, x):
        B, T, _ = x.shape
        h = self.norm_a(x)
        q = self.wq(h).view(B, T, HEADS, -1).transpose(1, 2)
        k = self.wk(h).view(B, T, HEADS, -1).transpose(1, 2)
        v = self.wv(h).view(B, T, HEADS, -1).transpose(1, 2)
        a = F.softmax(q @ k.transpose(2, 3) / (D // HEADS) ** 0.5, dim=-1)
        x = x + self.wo((a @ v).transpose(1, 2).reshape(B, T, D))
        return x + self.ff2(F.gelu(self.ff1(self.norm_b(x))))


class Sorter(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(N_DIGITS, D)
        self.pos = nn.Embedding(LEN, D)
        self.blocks = nn.ModuleList([EncoderBlock() for _ in range(LAYERS)])
        self.norm = nn.LayerNorm(D)
        self.unembed = nn.Linear(D, N_DIGITS)
        for name, p in self.named_parameters():
            if p.dim() > 1:
                nn.init.normal_(p, mean=0.0, std=INIT_STD)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(self, x):
        h = self.tok(x) + self.pos.weight[None]
        for blk in self.blocks:
            h = blk(h)
        return self.unembed(self.norm(h))


model = Sorter()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
for it in range(1, 401):
    xb, yb = sample(64)
    logits = model(xb)
    loss = F.cross_entropy(logits.reshape(-1, N_DIGITS), yb.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 50 == 0:
        print(f"iter {it} loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    lv = model(x_val)
    val_loss = F.cross_entropy(lv.reshape(-1, N_DIGITS), y_val.reshape(-1)).item()
    pred = lv.argmax(-1)
    tok_acc = (pred == y_val).float().mean().item()
    exact = (pred == y_val).all(1).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(tok_acc, 4),
                                     "val_exact_match": round(exact, 4), "train_loss": round(loss.item(), 4),
                                     "chance_acc": 0.1}))
