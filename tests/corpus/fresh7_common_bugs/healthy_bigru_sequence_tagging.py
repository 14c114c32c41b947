# expect:
# allow:
# forbid: *
# evidence: healthy; dev token acc 1.000 (majority tag 0.21), dev token loss 0.004
# native-log: tagger_metrics.csv
# log-expect:
# log-allow:
"""Sequence tagging (synthetic part-of-speech-like tags): each of 60 word ids has 1-2 possible
tags, ambiguous words are resolved by the previous word's tag class. Embedding(60, 32) ->
bidirectional GRU(48) -> Linear(5 tags), Adam(lr=3e-3) with gradient clipping at 1.0,
padding positions masked out with ignore_index. Writes tagger_metrics.csv per epoch
(epoch, lr, train_token_loss, dev_token_loss, dev_token_acc).
"""
import csv
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
V, NT, PAD = 60, 5, -100
rng = torch.Generator().manual_seed(31)
base_tag = torch.randint(0, NT, (V,), generator=rng)
alt_tag = torch.randint(0, NT, (V,), generator=rng)
ambiguous = torch.rand(V, generator=rng) < 0.35


def sentences(n, g):
    lens = torch.randint(8, 21, (n,), generator=g)
    toks = torch.randint(1, V, (n, 20), generator=g)
    tags = base_tag[toks].clone()
    prev = torch.cat([torch.zeros(n, 1, dtype=torch.long), tags[:, :-1]], 1)
    use_alt = ambiguous[toks] & (prev % 2 == 1)
    tags = torch.where(use_alt, alt_tag[toks], tags)
    mask = torch.arange(20).view(1, -1) < lens.view(-1, 1)
    toks = toks.masked_fill(~mask, 0)
    tags = tags.masked_fill(~mask, PAD)
    return toks, tags


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32, padding_idx=0)
        self.rnn = nn.GRU(32, 48, batch_first=True, bidirectional=True)
        self.out = nn.Linear(96, NT)

    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.out(h)


g = torch.Generator().manual_seed(1)
xtr, ytr = sentences(2000, g)
xdv, ydv = sentences(500, g)
model = Tagger()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)


def dev_eval(x, y):
    model.eval()
    with torch.no_grad():
        o = model(x)
        loss = F.cross_entropy(o.reshape(-1, NT), y.reshape(-1), ignore_index=PAD).item()
        m = y != PAD
        acc = ((o.argmax(-1) == y) & m).sum().item() / m.sum().item()
    model.train()
    return loss, acc


log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
with open(os.path.join(log_dir, "tagger_metrics.csv"), "w", newline="") as fh:
    wr = csv.writer(fh)
    wr.writerow(["epoch", "lr", "train_token_loss", "dev_token_loss", "dev_token_acc"])
    for ep in range(6):
        perm = torch.randperm(len(xtr))
        tot, cnt = 0.0, 0
        for i in range(0, len(xtr), 50):
            idx = perm[i:i + 50]
            out = model(xtr[idx])
            loss = F.cross_entropy(out.reshape(-1, NT), ytr[idx].reshape(-1), ignore_index=PAD)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            tot += loss.item(); cnt += 1
        dl, da = dev_eval(xdv, ydv)
        wr.writerow([ep + 1, 3e-3, f"{tot/cnt:.5f}", f"{dl:.5f}", f"{da:.4f}"])
        print(f"epoch {ep+1}: train {tot/cnt:.4f} dev_loss {dl:.4f} dev_acc {da:.3f}")

tl, ta = dev_eval(xtr, ytr)
majority = (torch.bincount(ydv[ydv != PAD]).max() / (ydv != PAD).sum()).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(dl, 4), "val_acc": round(da, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": round(majority, 4)}))
