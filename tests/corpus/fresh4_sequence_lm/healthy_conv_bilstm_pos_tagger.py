# expect:
# allow:
# forbid: *
# evidence: held-out token accuracy 1.000 incl. 1.000 on the ambiguous NOUN/VERB words; val_loss 0.0001
"""Conv1d + BiLSTM part-of-speech tagger on sentences from a toy grammar in which some words are
ambiguous ("run", "watch", "book" can be NOUN or VERB) and only context decides."""
import json
import random

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(101)
random.seed(101)

LEX = {
    "DET": ["the", "a", "this", "every"],
    "ADJ": ["big", "small", "red", "quick", "lazy"],
    "NOUN": ["dog", "cat", "run", "watch", "book", "park", "girl", "boy"],
    "VERB": ["sees", "run", "watch", "book", "likes", "finds"],
    "PREP": ["in", "near", "with"],
    "PUNCT": ["."],
}


def noun_phrase():
    out = [(random.choice(LEX["DET"]), "DET")]
    if random.random() < 0.5:
        out.append((random.choice(LEX["ADJ"]), "ADJ"))
    out.append((random.choice(LEX["NOUN"]), "NOUN"))
    return out


def sentence():
    s = noun_phrase() + [(random.choice(LEX["VERB"]), "VERB")] + noun_phrase()
    if random.random() < 0.5:
        s += [(random.choice(LEX["PREP"]), "PREP")] + noun_phrase()
    return s + [(".", "PUNCT")]


TAGS = list(LEX)
words = sorted({w for ws in LEX.values() for w in ws})
W2I = {w: i + 1 for i, w in enumerate(words)}
T2I = {t: i for i, t in enumerate(TAGS)}
MAXLEN = 14


def encode(n):
    X = torch.zeros(n, MAXLEN, dtype=torch.long)
    Y = torch.full((n, MAXLEN), -100, dtype=torch.long)
    for i in range(n):
        s = sentence()
        X[i, :len(s)] = torch.tensor([W2I[w] for w, _ in s])
        Y[i, :len(s)] = torch.tensor([T2I[t] for _, t in s])
    return X, Y


class ConvBiLSTMTagger(nn.Module):
    def __init__(self, n_words, n_tags, emb=32, conv=48, hid=48):
        super().__init__()
        self.emb = nn.Embedding(n_words, emb, padding_idx=0)
        self.conv = nn.Conv1d(emb, conv, kernel_size=3, padding=1)
        self.lstm = nn.LSTM(conv, hid, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(0.2)
        self.out = nn.Linear(2 * hid, n_tags)

    def forward(self, x):
        h = torch.relu(self.conv(self.emb(x).transpose(1, 2))).transpose(1, 2)
        h, _ = self.lstm(self.dropout(h))
        return self.out(self.dropout(h))


Xtr, Ytr = encode(3000)
Xva, Yva = encode(500)
tagger = ConvBiLSTMTagger(len(words) + 1, len(TAGS))
optimizer = torch.optim.AdamW(tagger.parameters(), lr=3e-3, weight_decay=1e-4)
loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
amb = torch.isin(Xva, torch.tensor([W2I["run"], W2I["watch"], W2I["book"]]))


def evaluate():
    tagger.eval()
    with torch.no_grad():
        logits = tagger(Xva)
        loss = loss_fn(logits.reshape(-1, len(TAGS)), Yva.reshape(-1)).item()
        pred = logits.argmax(-1)
        mask = Yva != -100
        acc = (pred[mask] == Yva[mask]).float().mean().item()
        amb_acc = (pred[amb] == Yva[amb]).float().mean().item()
    tagger.train()
    return loss, acc, amb_acc


for epoch in range(5):
    order = torch.randperm(len(Xtr))
    for i in range(0, len(order), 32):
        b = order[i:i + 32]
        loss = loss_fn(tagger(Xtr[b]).reshape(-1, len(TAGS)), Ytr[b].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    vl, va, vamb = evaluate()
    print(f"epoch {epoch + 1}: last_batch_loss {loss.item():.4f} val_loss {vl:.4f} val_tok_acc {va:.4f} ambiguous_acc {vamb:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "val_ambiguous_acc": round(vamb, 4), "train_loss": round(loss.item(), 4)}))
