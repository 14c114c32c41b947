# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (SGD lr 1.0) reaches val loss 0.858 nats/char; planted (lr 1e-3) crawls from 2.62 to 2.612 in 3 epochs (uniform 2.639)
# control: --control
# Character-level LSTM LM trained with truncated BPTT over one long stream (Zaremba-style:
# plain SGD, hidden state carried across batches and detached, grad clipping 0.25).
# Planted: the SGD lr is 1e-3, copied from an Adam config; the classic recipe uses lr=1 for SGD.
# --control: lr = 1.0.
import sys, json, math, random
import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
lr = 1.0 if CONTROL else 1e-3
torch.set_num_threads(1)
torch.manual_seed(42)
random.seed(42)

syll = ["ka", "to", "ri", "mu", "se", "na", "lo", "pe"]
words = ["".join(random.choice(syll) for _ in range(random.randint(1, 3))) for _ in range(40)]
text = " ".join(random.choice(words[:20]) if random.random() < 0.8 else random.choice(words) for _ in range(12000))
vocab = sorted(set(text))
ix = {c: i for i, c in enumerate(vocab)}
stream = torch.tensor([ix[c] for c in text])
split = int(len(stream) * 0.9)
train_stream, val_stream = stream[:split], stream[split:]
BSZ, BPTT = 16, 35


def batchify(s):
    nb = len(s) // BSZ
    return s[:nb * BSZ].view(BSZ, nb)


train_b, val_b = batchify(train_stream), batchify(val_stream)


class CharLSTM(nn.Module):
    def __init__(self, n, emb=32, hid=96):
        super().__init__()
        self.enc = nn.Embedding(n, emb)
        self.lstm = nn.LSTM(emb, hid, batch_first=True)
        self.dec = nn.Linear(hid, n)
        for w in self.parameters():
            nn.init.uniform_(w, -0.1, 0.1)

    def forward(self, x, state):
        out, state = self.lstm(self.enc(x), state)
        return self.dec(out), state


model = CharLSTM(len(vocab))
opt = torch.optim.SGD(model.parameters(), lr=lr)
crit = nn.CrossEntropyLoss()


def evaluate(data):
    model.eval()
    state, tot, n = None, 0.0, 0
    with torch.no_grad():
        for i in range(0, data.size(1) - 1, BPTT):
            L = min(BPTT, data.size(1) - 1 - i)
            x, y = data[:, i:i + L], data[:, i + 1:i + 1 + L]
            out, state = model(x, state)
            tot += crit(out.reshape(-1, out.size(-1)), y.reshape(-1)).item() * L; n += L
    model.train()
    return tot / n


for epoch in range(3):
    state = None
    for bi, i in enumerate(range(0, train_b.size(1) - 1, BPTT)):
        L = min(BPTT, train_b.size(1) - 1 - i)
        x, y = train_b[:, i:i + L], train_b[:, i + 1:i + 1 + L]
        if state is not None:
            state = tuple(s.detach() for s in state)
        out, state = model(x, state)
        loss = crit(out.reshape(-1, out.size(-1)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        opt.step()
        if bi % 40 == 0:
            print(f"| epoch {epoch} | batch {bi:3d} | lr {lr:g} | loss {loss.item():.3f} | ppl {math.exp(loss.item()):.2f}")
    vl = evaluate(val_b)
    print(f"| end of epoch {epoch} | valid loss {vl:.3f} | valid ppl {math.exp(vl):.2f}")

tl = evaluate(train_b[:, :2000])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "train_loss": round(tl, 4),
                                     "uniform_loss": round(math.log(len(vocab)), 4)}))
