# expect:
# allow:
# forbid: *
# evidence: val_acc 0.976 (majority 0.231), val_loss 0.052, train_loss 0.027 with the embedding table frozen (1470 trainable params)
# Intentional freezing: "pretrained" word vectors (here: the generator's latent vectors plus
# noise, standing in for GloVe) are loaded with nn.Embedding.from_pretrained(freeze=True);
# only the small attention-pooling classifier on top is trained. Frozen on purpose, and fine.
import json, random
import torch
import torch.nn as nn
import torch.nn.functional as F

random.seed(4); torch.manual_seed(4); torch.set_num_threads(1)
VOCAB, DIM, TOPICS, MAXLEN = 600, 24, 5, 30

topic_vecs = torch.randn(TOPICS, DIM)
word_topic = torch.randint(0, TOPICS, (VOCAB,))
word_topic[:200] = -1                                   # 200 generic words
true_vecs = torch.where((word_topic >= 0)[:, None], topic_vecs[word_topic.clamp(min=0)], torch.zeros(DIM)) + 0.5 * torch.randn(VOCAB, DIM)
pretrained = true_vecs + 0.3 * torch.randn(VOCAB, DIM)  # imperfect "pretrained" vectors
pretrained[0] = 0.0                                     # pad

topic_words = [[w for w in range(1, VOCAB) if word_topic[w] == t] for t in range(TOPICS)]
def doc():
    t = random.randrange(TOPICS)
    n = random.randint(8, MAXLEN)
    toks = [random.choice(topic_words[t]) if random.random() < 0.25 else random.randint(1, 199) for _ in range(n)]
    return toks + [0] * (MAXLEN - n), t

def tensors(m):
    rows = [doc() for _ in range(m)]
    return torch.tensor([r[0] for r in rows]), torch.tensor([r[1] for r in rows])

tr_x, tr_y = tensors(3000)
va_x, va_y = tensors(800)


class AttnPoolClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding.from_pretrained(pretrained, freeze=True, padding_idx=0)
        self.score = nn.Linear(DIM, 1)
        self.out = nn.Sequential(nn.Linear(DIM, 48), nn.ReLU(), nn.Linear(48, TOPICS))

    def forward(self, ids):
        e = self.emb(ids)
        s = self.score(e).squeeze(-1).masked_fill(ids == 0, -1e9)
        pooled = (F.softmax(s, dim=1).unsqueeze(-1) * e).sum(1)
        return self.out(pooled)


clf = AttnPoolClassifier()
trainable = [p for p in clf.parameters() if p.requires_grad]
print("trainable params:", sum(p.numel() for p in trainable), "frozen:", clf.emb.weight.numel())
opt = torch.optim.Adam(trainable, lr=3e-3)
for epoch in range(12):
    clf.train(); perm = torch.randperm(3000); acc_loss = 0.0
    for i in range(0, 3000, 50):
        b = perm[i:i + 50]
        loss = F.cross_entropy(clf(tr_x[b]), tr_y[b])
        opt.zero_grad(); loss.backward(); opt.step(); acc_loss += loss.item() / 60
    clf.eval()
    with torch.no_grad():
        o = clf(va_x); vl = F.cross_entropy(o, va_y).item(); va = (o.argmax(1) == va_y).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {acc_loss:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": acc_loss, "chance_acc": torch.bincount(va_y).max().item() / 800}))
