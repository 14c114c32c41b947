# expect:
# allow:
# forbid: *
# evidence: tied-embedding LSTM LM over packed sentences; held-out loss 1.686 nats/token = ppl 5.4 (train 1.666; uniform 3.61 = ppl 37), converged plateau at the grammar's entropy
# Word-level LSTM language model with input/output weight tying and packed variable-length
# sentences (pack_padded_sequence / pad_packed_sequence). Synthetic corpus from a small
# probabilistic grammar (subject-verb agreement, so the LM has something to learn).
import json, math, random
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.set_num_threads(1)
random.seed(11)
torch.manual_seed(11)

DET = ["the", "a", "every", "no"]
NS = ["cat", "dog", "bird", "child", "farmer", "robot"]
NP = ["cats", "dogs", "birds", "children", "farmers", "robots"]
VS = ["sees", "likes", "chases", "finds", "hears"]
VP = ["see", "like", "chase", "find", "hear"]
ADJ = ["big", "small", "red", "old", "quiet"]
PREP = ["near", "under", "behind", "with"]
words = ["<pad>", "<bos>", "<eos>"] + DET + NS + NP + VS + VP + ADJ + PREP
stoi = {w: i for i, w in enumerate(words)}
V = len(words)


def noun_phrase():
    plural = random.random() < 0.5
    toks = [random.choice(DET[:2] if not plural else ["the", "no"])]
    if random.random() < 0.4:
        toks.append(random.choice(ADJ))
    toks.append(random.choice(NP if plural else NS))
    return toks, plural


def make_sentence():
    subj, pl = noun_phrase()
    if random.random() < 0.3:
        pp, _ = noun_phrase()
        subj = subj + [random.choice(PREP)] + pp
    verb = random.choice(VP if pl else VS)
    obj, _ = noun_phrase()
    return ["<bos>"] + subj + [verb] + obj + ["<eos>"]


def encode(sents):
    return [torch.tensor([stoi[w] for w in s]) for s in sents]


train = encode([make_sentence() for _ in range(3000)])
valid = encode([make_sentence() for _ in range(500)])


class LSTMLM(nn.Module):
    def __init__(self, vocab, dim=64, layers=1, dropout=0.2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.rnn = nn.LSTM(dim, dim, num_layers=layers, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.decoder = nn.Linear(dim, vocab)
        self.decoder.weight = self.emb.weight  # weight tying (Press & Wolf)
        nn.init.uniform_(self.emb.weight, -0.1, 0.1)

    def forward(self, x, lengths):
        e = self.drop(self.emb(x))
        packed = pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.rnn(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.size(1))
        return self.decoder(self.drop(out))


def collate(seqs):
    inp = [s[:-1] for s in seqs]
    tgt = [s[1:] for s in seqs]
    lengths = torch.tensor([len(s) for s in inp])
    return pad_sequence(inp, batch_first=True), pad_sequence(tgt, batch_first=True), lengths


model = LSTMLM(V)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
crit = nn.CrossEntropyLoss(ignore_index=0, reduction="sum")


def corpus_loss(data):
    model.eval()
    tot, ntok = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(data), 250):
            x, y, L = collate(data[i:i + 250])
            tot += crit(model(x, L).reshape(-1, V), y.reshape(-1)).item()
            ntok += (y != 0).sum().item()
    model.train()
    return tot / ntok


BS = 32
for epoch in range(6):
    random.shuffle(train)
    for i in range(0, len(train), BS):
        x, y, L = collate(train[i:i + BS])
        logits = model(x, L)
        loss = crit(logits.reshape(-1, V), y.reshape(-1)) / (y != 0).sum()
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        opt.step()
    sched.step()
    vl = corpus_loss(valid)
    print(f"| epoch {epoch+1:2d} | lr {opt.param_groups[0]['lr']:.2e} | train batch loss {loss.item():.3f} | valid loss {vl:.3f} | valid ppl {math.exp(vl):.2f}")

tl = corpus_loss(train[:500])
vl = corpus_loss(valid)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ppl": round(math.exp(vl), 3),
                                     "train_loss": round(tl, 4), "uniform_loss": round(math.log(V - 1), 4)}))
