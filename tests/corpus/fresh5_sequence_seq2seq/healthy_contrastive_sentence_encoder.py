# expect:
# allow:
# forbid: *
# evidence: InfoNCE GRU sentence encoder, AdamW + OneCycle; held-out paraphrase retrieval R@1 0.985 among 200 candidates (chance 0.005), val InfoNCE 0.39 vs train 0.35
"""Contrastive sentence encoder (SimCSE/InfoNCE-flavoured) on synthetic paraphrases.

Each 'meaning' is a bag of 3 content words; a sentence realises it with the content words in
random order, mixed with random function words, and with 1 content word sometimes swapped for
a synonym. Positive pairs = two realisations of the same meaning; in-batch negatives.
Encoder: embedding + 1-layer GRU + mean-pool + projection. Metric: held-out retrieval
accuracy (for each query realisation of an unseen meaning, is its paraphrase the nearest
among 200 candidates?).
"""
import json, random
import torch
import torch.nn as nn
import torch.nn.functional as F

random.seed(2); torch.manual_seed(2)
torch.set_num_threads(1)

N_CONTENT, N_FUNC = 120, 20
SYN = {w: (w + 60) % N_CONTENT for w in range(N_CONTENT)}  # content word w has synonym w+60
VOCAB = N_CONTENT + N_FUNC + 1
SEQ = 10


def realise(meaning):
    words = [SYN[w] if random.random() < 0.3 else w for w in meaning]
    words = words + [N_CONTENT + random.randrange(N_FUNC) for _ in range(random.randint(2, 5))]
    random.shuffle(words)
    ids = [w + 1 for w in words][:SEQ]
    return ids + [0] * (SEQ - len(ids))


def meaning():
    return random.sample(range(60), 3)  # canonical forms are 0..59, synonyms 60..119


class Encoder(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, d, padding_idx=0)
        self.gru = nn.GRU(d, d, batch_first=True)
        self.proj = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        h, _ = self.gru(self.emb(x))
        mask = (x != 0).float().unsqueeze(-1)
        pooled = (h * mask).sum(1) / mask.sum(1)
        return F.normalize(self.proj(pooled), dim=-1)


def info_nce(a, b, tau=0.1):
    logits = a @ b.t() / tau
    target = torch.arange(len(a))
    return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target))


train_meanings = [meaning() for _ in range(3000)]
val_meanings = [meaning() for _ in range(200)]
vq = torch.tensor([realise(m) for m in val_meanings])
vk = torch.tensor([realise(m) for m in val_meanings])

enc = Encoder()
opt = torch.optim.AdamW(enc.parameters(), lr=2e-3, weight_decay=0.05)
STEPS, BS = 300, 64
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=STEPS)


def retrieval(q, k):
    enc.eval()
    with torch.no_grad():
        zq, zk = enc(q), enc(k)
        loss = info_nce(zq, zk).item()
        acc = ((zq @ zk.t()).argmax(1) == torch.arange(len(q))).float().mean().item()
    enc.train()
    return loss, acc


for step in range(STEPS):
    batch = random.sample(train_meanings, BS)
    a = torch.tensor([realise(m) for m in batch])
    b = torch.tensor([realise(m) for m in batch])
    loss = info_nce(enc(a), enc(b))
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    if step % 50 == 0 or step == STEPS - 1:
        vl, va = retrieval(vq, vk)
        print(f"step {step} train_nce {loss.item():.4f} val_nce {vl:.4f} val_r@1 {va:.3f}")

tq = torch.tensor([realise(m) for m in train_meanings[:200]])
tk = torch.tensor([realise(m) for m in train_meanings[:200]])
tl, ta = retrieval(tq, tk)
vl, va = retrieval(vq, vk)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.005}))
