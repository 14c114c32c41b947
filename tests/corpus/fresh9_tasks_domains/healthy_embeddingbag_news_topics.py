# expect:
# allow:
# forbid: *
# evidence: 4 topics: val_acc 0.965 (chance 0.25), val CE 0.120 still falling at the end; train CE 0.033 (train acc 1.000)
# %% Text classification with nn.EmbeddingBag (mean of token embeddings, fastText style).
# Synthetic "news" corpus: 4 topics, each with its own keyword distribution over a 3000-token
# vocabulary + shared function words; variable-length docs fed as flat tokens + offsets.
import json
import torch
import torch.nn as nn

torch.manual_seed(123)
torch.set_num_threads(1)

# %% corpus
V, K = 3000, 4
common = torch.arange(0, 200)                         # function words shared by all topics
topic_words = [torch.arange(200 + 500 * k, 200 + 500 * (k + 1)) for k in range(K)]
extra = torch.arange(2200, 3000)                      # rare, uninformative tail


def make_doc(label, g):
    length = int(torch.randint(15, 60, (1,), generator=g))
    kind = torch.rand(length, generator=g)
    toks = torch.empty(length, dtype=torch.long)
    m1, m2 = kind < 0.45, (kind >= 0.45) & (kind < 0.75)
    m3 = (kind >= 0.75) & (kind < 0.83)
    m4 = kind >= 0.83
    toks[m1] = common[torch.randint(0, 200, (int(m1.sum()),), generator=g)]
    toks[m2] = topic_words[label][torch.randint(0, 500, (int(m2.sum()),), generator=g)]
    other = (label + 1 + int(torch.randint(0, K - 1, (1,), generator=g))) % K   # confusable words
    toks[m3] = topic_words[other][torch.randint(0, 500, (int(m3.sum()),), generator=g)]
    toks[m4] = extra[torch.randint(0, 800, (int(m4.sum()),), generator=g)]
    return toks


def corpus(n, seed):
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, K, (n,), generator=g)
    docs = [make_doc(int(l), g) for l in labels]
    return docs, labels


def collate(docs):
    offsets = torch.tensor([0] + [len(d) for d in docs[:-1]]).cumsum(0)
    return torch.cat(docs), offsets


train_docs, train_y = corpus(4000, 1)
val_docs, val_y = corpus(1000, 2)
val_text, val_off = collate(val_docs)

# %% model
class FastText(nn.Module):
    def __init__(self, vocab, dim, n_cls):
        super().__init__()
        self.bag = nn.EmbeddingBag(vocab, dim, mode="mean")
        self.fc = nn.Linear(dim, n_cls)
        self.bag.weight.data.uniform_(-0.5, 0.5)
        self.fc.weight.data.uniform_(-0.5, 0.5)
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        return self.fc(self.bag(text, offsets))


clf = FastText(V, 64, K)
optimizer = torch.optim.Adam(clf.parameters(), lr=1e-2)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1, gamma=0.5)
criterion = nn.CrossEntropyLoss()

# %% train
for epoch in range(5):
    clf.train()
    perm = torch.randperm(len(train_docs)).tolist()
    tot, n_ok, n_seen = 0.0, 0, 0
    for i in range(0, len(perm), 64):
        idx = perm[i:i + 64]
        text, off = collate([train_docs[j] for j in idx])
        y = train_y[idx]
        logits = clf(text, off)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(clf.parameters(), 0.5)
        optimizer.step()
        tot += loss.item() * len(idx)
        n_ok += (logits.argmax(1) == y).sum().item()
        n_seen += len(idx)
    scheduler.step()
    clf.eval()
    with torch.no_grad():
        vlog = clf(val_text, val_off)
        vloss = criterion(vlog, val_y).item()
        vacc = (vlog.argmax(1) == val_y).float().mean().item()
    print(f"| epoch {epoch + 1} | train loss {tot / n_seen:.4f} acc {n_ok / n_seen:.3f} | valid loss {vloss:.4f} acc {vacc:.3f} |")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                      "train_loss": round(tot / n_seen, 4), "chance_acc": 0.25}))
