# expect:
# allow:
# forbid: *
# evidence: held-out stream val_loss 0.42 (ppl 1.52) vs unigram 3.05 / uniform 3.30; train 0.40
"""Character LSTM language model in the style of the PyTorch word_language_model example: the
stream is batchified into 16 parallel columns, trained with truncated BPTT over 40-character
windows, the hidden state is carried from one window to the next (detached), dropout 0.2
between layers, Adam + ReduceLROnPlateau, clip_grad_norm_ 0.5. The text is synthetic: words of
a made-up lexicon chained by a word-bigram model, so spelling inside words is deterministic and
word boundaries carry the uncertainty. Evaluated on a held-out stream with hidden carry-over.
"""
import json
import math
import random

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(5)
random.seed(5)

letters = "abcdefghijklmnopqrstuvwxyz"
lexicon = ["".join(random.choice(letters) for _ in range(random.randint(2, 7))) for _ in range(40)]
follow = {w: random.sample(lexicon, 4) for w in lexicon}


def text(n_words):
    w, out = random.choice(lexicon), []
    for _ in range(n_words):
        out.append(w)
        w = random.choice(follow[w]) if random.random() < 0.9 else random.choice(lexicon)
    return " ".join(out) + " "


chars = sorted(set(letters + " "))
stoi = {c: i for i, c in enumerate(chars)}
V = len(chars)
train = torch.tensor([stoi[c] for c in text(9000)])
val = torch.tensor([stoi[c] for c in text(1500)])


def batchify(d, bsz):
    n = len(d) // bsz
    return d[: n * bsz].view(bsz, n).t().contiguous()  # (time, batch)


BPTT, BSZ, H = 40, 16, 128
tr, va = batchify(train, BSZ), batchify(val, 8)


class CharLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.lstm = nn.LSTM(32, H, num_layers=2, dropout=0.2)
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(H, V)

    def forward(self, x, hidden):
        o, hidden = self.lstm(self.drop(self.emb(x)), hidden)
        return self.out(self.drop(o)), hidden

    def init_hidden(self, bsz):
        z = torch.zeros(2, bsz, H)
        return (z, z.clone())


model = CharLSTM()
opt = torch.optim.Adam(model.parameters(), lr=4e-3)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0)


def evaluate(src, bsz):
    model.eval()
    hidden, tot, n = model.init_hidden(bsz), 0.0, 0
    with torch.no_grad():
        for i in range(0, src.size(0) - 1, BPTT):
            L = min(BPTT, src.size(0) - 1 - i)
            out, hidden = model(src[i:i + L], hidden)
            tot += F.cross_entropy(out.reshape(-1, V), src[i + 1:i + 1 + L].reshape(-1), reduction="sum").item()
            n += L * bsz
    model.train()
    return tot / n


for epoch in range(3):
    hidden = model.init_hidden(BSZ)
    for b, i in enumerate(range(0, tr.size(0) - 1, BPTT)):
        L = min(BPTT, tr.size(0) - 1 - i)
        x, y = tr[i:i + L], tr[i + 1:i + 1 + L]
        hidden = tuple(h.detach() for h in hidden)  # truncated BPTT: carry state, cut the graph
        out, hidden = model(x, hidden)
        loss = F.cross_entropy(out.reshape(-1, V), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        opt.step()
        if b % 20 == 0:
            print(f"epoch {epoch} batch {b} loss {loss.item():.4f} ppl {math.exp(loss.item()):.2f}")
    vl = evaluate(va, 8)
    sched.step(vl)
    print(f"epoch {epoch} val_loss {vl:.4f} val_ppl {math.exp(vl):.2f} lr {opt.param_groups[0]['lr']:.1e}")

vl = evaluate(va, 8)
tl = evaluate(batchify(train[:len(val)], 8), 8)
freq = torch.bincount(train, minlength=V).float() + 1
freq /= freq.sum()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "val_ppl": round(math.exp(vl), 3), "train_loss": round(tl, 4),
    "unigram_loss": round(-(freq * freq.log()).sum().item(), 4), "uniform_loss": round(math.log(V), 4)}))
