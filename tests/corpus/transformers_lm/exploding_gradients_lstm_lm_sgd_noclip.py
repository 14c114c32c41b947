# expect: exploding_gradients
# allow: learning_rate_too_high, non_finite, non_convergence, high_bias
# forbid: *
# evidence: planted (SGD lr 20, clipping removed): max grad norm 31.9, val loss 28.2 (ln vocab 3.61); control (--clip 0.25) max pre-clip grad norm 1.40, val loss 1.603
# control: --clip 0.25
# Word-level LSTM LM in the style of pytorch/examples word_language_model: plain SGD at lr 20 with
# truncated BPTT. The original relies on clip_grad_norm_(0.25); this copy dropped the clipping.
import argparse
import json
import math
import random

import torch
import torch.nn as nn

torch.set_num_threads(1)
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=20.0)
parser.add_argument("--clip", type=float, default=0.0, help="gradient clipping (0 = off)")
parser.add_argument("--bptt", type=int, default=20)
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--batch_size", type=int, default=16)
args = parser.parse_args()
torch.manual_seed(1111)

# ---- synthetic word corpus: a small grammar over ~40 word types
rng = random.Random(5)
subj = ["i", "you", "we", "they", "the man", "the woman", "my friend", "the teacher"]
verb = ["see", "like", "want", "need", "take", "make", "find", "know"]
obj = ["the book", "a car", "the house", "some water", "the answer", "a dog", "the city", "the game"]
tail = ["today", "now", "again", "every day", "at home", "in the city"]
sents = []
for _ in range(4500):
    s = f"{rng.choice(subj)} {rng.choice(verb)} {rng.choice(obj)}"
    if rng.random() < 0.5:
        s += " " + rng.choice(tail)
    sents.append(s + " <eos>")
words = " ".join(sents).split()
vocab = sorted(set(words))
w2i = {w: i for i, w in enumerate(vocab)}
ids = torch.tensor([w2i[w] for w in words])
n_val = len(ids) // 10
train_ids, val_ids = ids[:-n_val], ids[-n_val:]
print(f"{len(words)} tokens, vocab {len(vocab)}")


def batchify(data, bsz):
    nb = data.size(0) // bsz
    return data[:nb * bsz].view(bsz, -1).t().contiguous()  # (T, B)


train_data = batchify(train_ids, args.batch_size)
val_data = batchify(val_ids, 10)


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp=48, nhid=64, nlayers=2):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers)
        self.decoder = nn.Linear(nhid, ntoken)
        self.nlayers, self.nhid = nlayers, nhid
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, inp, hidden):
        out, hidden = self.rnn(self.encoder(inp), hidden)
        return self.decoder(out), hidden

    def init_hidden(self, bsz):
        z = torch.zeros(self.nlayers, bsz, self.nhid)
        return (z, z.clone())


def repackage_hidden(h):
    return tuple(v.detach() for v in h)


def get_batch(source, i):
    seq_len = min(args.bptt, len(source) - 1 - i)
    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len].reshape(-1)


model = RNNModel(len(vocab))
criterion = nn.CrossEntropyLoss()


def evaluate(data_source):
    model.eval()
    total, count = 0.0, 0
    hidden = model.init_hidden(data_source.size(1))
    with torch.no_grad():
        for i in range(0, data_source.size(0) - 1, args.bptt):
            data, targets = get_batch(data_source, i)
            output, hidden = model(data, hidden)
            total += len(data) * criterion(output.view(-1, len(vocab)), targets).item()
            count += len(data)
    return total / count


lr = args.lr
best_val = None
max_gnorm = 0.0
for epoch in range(1, args.epochs + 1):
    model.train()
    hidden = model.init_hidden(args.batch_size)
    total_loss = 0.0
    for batch, i in enumerate(range(0, train_data.size(0) - 1, args.bptt)):
        data, targets = get_batch(train_data, i)
        hidden = repackage_hidden(hidden)
        model.zero_grad()
        output, hidden = model(data, hidden)
        loss = criterion(output.view(-1, len(vocab)), targets)
        loss.backward()
        gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip if args.clip > 0 else float("inf"))
        max_gnorm = max(max_gnorm, gnorm.item()) if math.isfinite(gnorm.item()) else float("inf")
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-lr)
        total_loss += loss.item()
        if batch % 40 == 0 and batch > 0:
            print(f"| epoch {epoch} | batch {batch} | lr {lr:.2f} | loss {total_loss / 40:.3f} | grad norm {gnorm.item():.2f}")
            total_loss = 0.0
    val_loss = evaluate(val_data)
    print(f"| end of epoch {epoch} | valid loss {val_loss:.3f} | valid ppl {math.exp(min(val_loss, 50)):.2f}")
    if best_val is None or val_loss < best_val:
        best_val = val_loss
    else:
        lr /= 4.0  # anneal like the original example

print(f"max gradient norm seen: {max_gnorm:.3g}")
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(val_loss), "best_val_loss": fin(best_val),
                                     "max_grad_norm": fin(max_gnorm), "chance_loss": round(math.log(len(vocab)), 4)}))
