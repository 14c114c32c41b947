# expect:
# allow:
# forbid: *
# evidence: free-running (no teacher forcing) held-out exact match 0.987 on 150 unseen numbers, val_loss 0.021; train_loss 0.0016
"""GRU encoder-decoder that reads English number words ("three hundred forty two") and writes
the digits ("342"). The decoder is trained with teacher forcing whose probability decays from
1.0 to 0.3 over training (scheduled sampling, Bengio et al. 2015)."""
import json
import random

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(6)
random.seed(6)

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def to_words(n):
    parts = []
    if n >= 100:
        parts += [ONES[n // 100], "hundred"]
        n %= 100
        if n == 0:
            return parts
    if n >= 20:
        parts.append(TENS[n // 10])
        if n % 10:
            parts.append(ONES[n % 10])
    elif n >= 10:
        parts.append(TEENS[n - 10])
    else:
        parts.append(ONES[n])
    return parts


SRC_V = ["<pad>"] + sorted(set(ONES + TEENS + TENS[2:] + ["hundred"]))
S2I = {w: i for i, w in enumerate(SRC_V)}
BOS, EOS = 10, 11                 # target tokens: digits 0-9, BOS, EOS
TGT_V = 12
SRC_LEN, TGT_LEN = 5, 4           # max 3 digits + EOS

all_numbers = list(range(1000))
random.shuffle(all_numbers)
val_numbers, train_numbers = all_numbers[:150], all_numbers[150:]


def tensors(nums):
    S = torch.zeros(len(nums), SRC_LEN, dtype=torch.long)
    T = torch.full((len(nums), TGT_LEN), EOS, dtype=torch.long)
    for i, n in enumerate(nums):
        w = to_words(n)
        S[i, :len(w)] = torch.tensor([S2I[x] for x in w])
        d = [int(c) for c in str(n)] + [EOS]
        T[i, :len(d)] = torch.tensor(d)
    return S, T


S_tr, T_tr = tensors(train_numbers)
S_va, T_va = tensors(val_numbers)


class Net(nn.Module):
    def __init__(self, h=96):
        super().__init__()
        self.src_emb = nn.Embedding(len(SRC_V), h, padding_idx=0)
        self.encoder = nn.GRU(h, h, batch_first=True)
        self.tgt_emb = nn.Embedding(TGT_V, h)
        self.decoder = nn.GRUCell(h, h)
        self.proj = nn.Linear(h, TGT_V)

    def forward(self, src, tgt=None, tf_prob=0.0):
        _, h = self.encoder(self.src_emb(src))
        h = h[0]
        tok = torch.full((src.size(0),), BOS, dtype=torch.long)
        outs = []
        for t in range(TGT_LEN):
            h = self.decoder(self.tgt_emb(tok), h)
            logits = self.proj(h)
            outs.append(logits)
            pred = logits.argmax(-1)
            if tgt is not None:
                use_gold = torch.rand(src.size(0)) < tf_prob
                tok = torch.where(use_gold, tgt[:, t], pred)
            else:
                tok = pred
        return torch.stack(outs, 1)


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
xent = nn.CrossEntropyLoss()
EPOCHS, BS = 24, 32
for epoch in range(EPOCHS):
    tf = 1.0 - 0.7 * epoch / (EPOCHS - 1)
    net.train()
    order = torch.randperm(len(S_tr))
    for i in range(0, len(order), BS):
        b = order[i:i + BS]
        out = net(S_tr[b], T_tr[b], tf_prob=tf)
        loss = xent(out.reshape(-1, TGT_V), T_tr[b].reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
    if epoch % 6 == 5 or epoch == EPOCHS - 1:
        net.eval()
        with torch.no_grad():
            free = net(S_va)                      # free-running decoding, no gold tokens
            vloss = xent(free.reshape(-1, TGT_V), T_va.reshape(-1)).item()
            exact = (free.argmax(-1) == T_va).all(1).float().mean().item()
            tr_free = net(S_tr)
            tloss = xent(tr_free.reshape(-1, TGT_V), T_tr.reshape(-1)).item()
        print(f"epoch {epoch + 1:2d} tf={tf:.2f} train_loss {tloss:.4f} val_loss {vloss:.4f} val_exact {exact:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_exact_match": round(exact, 4),
                                     "train_loss": round(tloss, 4)}))
