# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted: loss and val_loss NaN from the first epoch (fully -inf attention rows for left pads), val_acc 0.347 (majority 0.353); control (diagonal unmasked): val_acc 0.837, val_loss 0.42
# control: --control
# Decoder-only (causal) classifier with hand-written attention: sequences are LEFT-padded so the
# last position holds the final real token, whose hidden state is fed to the classifier.
# The attention mask combines the causal mask with the key-padding mask and fills with -inf.
# Planted bug: for left-padded rows, the query at a pad position can only see earlier keys, which
# are all pads -> the whole score row is -inf -> softmax gives NaN, which leaks into the loss
# (NaN * 0 is still NaN when the pooled output is masked) and the gradients.
# --control: the usual fix, a query may always attend to itself (diagonal never masked).
import argparse, json, math
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(6)
torch.set_num_threads(1)

V, T, PAD, C = 24, 16, 0, 3


def make(n):
    lens = torch.randint(4, T + 1, (n,))
    x = torch.randint(1, V, (n, T))
    pos = torch.arange(T).unsqueeze(0)
    x = torch.where(pos >= (T - lens).unsqueeze(1), x, torch.full_like(x, PAD))
    # label: which of three token ranges is most frequent among real tokens
    counts = torch.stack([((x >= lo) & (x < lo + 8)).sum(1) for lo in (1, 9, 17)], 1).float()
    y = (counts + torch.rand_like(counts) * 0.5).argmax(1)
    return x, y


class Attn(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h, self.dk = h, d // h
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x, mask):
        B, L, D = x.shape
        sp = lambda t: t.view(B, L, self.h, self.dk).transpose(1, 2)
        q, k, v = sp(self.q(x)), sp(self.k(x)), sp(self.v(x))
        s = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        s = s.masked_fill(mask.unsqueeze(1), float("-inf"))
        a = s.softmax(-1)
        return self.o((a @ v).transpose(1, 2).reshape(B, L, D))


class CausalClassifier(nn.Module):
    def __init__(self, d=48, h=4, n=2):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.pos = nn.Embedding(T, d)
        self.attn = nn.ModuleList(Attn(d, h) for _ in range(n))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(n))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(n))
        self.cls = nn.Linear(d, C)

    def forward(self, x):
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
        pad = (x == PAD)
        mask = causal.unsqueeze(0) | pad.unsqueeze(1)          # (B, Tq, Tk)
        if args.control:
            mask = mask & ~torch.eye(T, dtype=torch.bool)
        h = self.emb(x) + self.pos.weight
        for a, f, ln in zip(self.attn, self.ff, self.ln):
            h = h + a(ln(h), mask)
            h = h + f(h)
        real = (~pad).float().unsqueeze(-1)
        h = h * real                                           # zero out pad positions
        return self.cls(h[:, -1])


xtr, ytr = make(3000)
xva, yva = make(600)
model = CausalClassifier()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
for epoch in range(4):
    for idx in torch.randperm(len(xtr)).split(64):
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        vo = model(xva)
        vl = F.cross_entropy(vo, yva).item()
        va = (vo.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(loss.item(), 4),
                                     "chance_acc": round(torch.bincount(yva).max().item() / len(yva), 4)}))
