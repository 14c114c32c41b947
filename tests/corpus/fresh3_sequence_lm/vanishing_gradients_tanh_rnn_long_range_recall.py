# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations
# forbid: *
# evidence: control (nn.GRU) val_acc 1.00, val_loss 0.009; planted (nn.RNN tanh) val_acc 0.23 (chance 0.25), val_loss 1.41; probe: planted d(loss)/d(input) norm 2.4e-9 at the first step vs 3.6e-4 at the last (5 orders of magnitude)
# control: --control
"""Long-range recall with a plain Elman RNN: each sequence starts with a 'key' symbol (one of 4)
followed by 25 random distractor symbols; the label is the key. A 1-layer nn.RNN(tanh) reads the
sequence and classifies from the last hidden state. The error signal has to travel back 25 tanh
steps and shrinks geometrically, so the model only learns what it can from the last few steps.
--control swaps the recurrent cell for nn.GRU (same sizes, same optimiser, same data) -- the
gated cell is the textbook remedy. Probe: the gradient norm of the loss w.r.t. the input
embeddings at the first vs. the last time step.
"""
import argparse
import json

import torch
from torch import nn
from torch.nn import functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(4)
T, NSYM, NKEY, H = 26, 12, 4, 48


def make(n, g):
    x = torch.randint(NKEY, NSYM, (n, T), generator=g)
    y = torch.randint(0, NKEY, (n,), generator=g)
    x[:, 0] = y
    return x, y


g = torch.Generator().manual_seed(4)
xtr, ytr = make(4000, g)
xva, yva = make(1000, g)


class Recall(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.emb = nn.Embedding(NSYM, 32)
        self.rnn = cell(32, H, num_layers=1, batch_first=True)
        self.head = nn.Linear(H, NKEY)

    def forward(self, x, return_emb=False):
        e = self.emb(x)
        if return_emb:
            e.retain_grad()
        out, _ = self.rnn(e)
        logits = self.head(out[:, -1])
        return (logits, e) if return_emb else logits


model = Recall(nn.GRU if args.control else nn.RNN)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for epoch in range(6):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 64):
        ix = perm[i:i + 64]
        loss = F.cross_entropy(model(xtr[ix]), ytr[ix])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        va = (model(xva).argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch} train_loss {loss.item():.4f} val_acc {va:.3f}")

logits, e = model(xva[:256], return_emb=True)
F.cross_entropy(logits, yva[:256]).backward()
gfirst = e.grad[:, 0].norm(dim=-1).mean().item()
glast = e.grad[:, -1].norm(dim=-1).mean().item()
with torch.no_grad():
    lv = model(xva)
    lt = model(xtr[:1000])
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
    "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
    "train_loss": round(F.cross_entropy(lt, ytr[:1000]).item(), 4),
    "chance_acc": 0.25,
    "probe_input_grad_first_step": float(f"{gfirst:.3g}"), "probe_input_grad_last_step": float(f"{glast:.3g}")}))
