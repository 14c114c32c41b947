# expect: dead_units
# allow: non_convergence, poor_initialization, vanishing_gradients, high_bias
# forbid: *
# evidence: planted (hidden biases -1.0): 100% of ReLU units never fire on validation, val_acc 0.165 (chance 0.167), loss stuck at ln6 = 1.79; control (bias 0): 2% dead, val_acc 0.931
# control: --control
# fastText-like topic classifier: nn.EmbeddingBag (mean) over word + bigram-hash ids, then a
# 3-layer ReLU MLP. Planted: the author initialises every hidden bias to -1.0 "so the ReLUs start
# sparse"; with mean-pooled embeddings the pre-activations are far smaller than 1, so almost every
# unit outputs 0 for every input and gets no gradient. --control: biases initialised to 0.
import json, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(23)

NV, NTOPIC, BUCKETS = 200, 6, 1000
topic_words = torch.randint(0, NV, (NTOPIC, 25))


def doc(topic):
    n = torch.randint(8, 20, (1,)).item()
    k = max(3, n // 2)
    words = torch.cat([topic_words[topic][torch.randint(0, 25, (k,))], torch.randint(0, NV, (n - k,))])
    words = words[torch.randperm(n)]
    bigrams = NV + (words[:-1] * 31 + words[1:]) % BUCKETS
    return torch.cat([words, bigrams])


def make(n):
    ys = torch.randint(0, NTOPIC, (n,))
    docs = [doc(t) for t in ys.tolist()]
    offsets = torch.tensor([0] + [len(d) for d in docs[:-1]]).cumsum(0)
    return torch.cat(docs), offsets, ys


class FastMLP(nn.Module):
    def __init__(self, dim=64, hid=128):
        super().__init__()
        self.bag = nn.EmbeddingBag(NV + BUCKETS, dim, mode="mean")
        self.hidden = nn.ModuleList([nn.Linear(dim, hid), nn.Linear(hid, hid), nn.Linear(hid, hid)])
        self.out = nn.Linear(hid, NTOPIC)
        for lin in self.hidden:
            nn.init.constant_(lin.bias, 0.0 if CONTROL else -1.0)

    def forward(self, ids, offs, probe=None):
        h = self.bag(ids, offs)
        for i, lin in enumerate(self.hidden):
            h = F.relu(lin(h))
            if probe is not None:
                probe.append(h)
        return self.out(h)


tr_ids, tr_off, ytr = make(3000)
va_ids, va_off, yva = make(800)
model = FastMLP()
opt = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)
docs_tr = [tr_ids[a:b] for a, b in zip(tr_off.tolist(), tr_off.tolist()[1:] + [len(tr_ids)])]
for epoch in range(8):
    perm = torch.randperm(len(ytr))
    for i in range(0, len(perm), 32):
        sel = perm[i:i + 32].tolist()
        ids = torch.cat([docs_tr[j] for j in sel])
        offs = torch.tensor([0] + [len(docs_tr[j]) for j in sel[:-1]]).cumsum(0)
        loss = F.cross_entropy(model(ids, offs), ytr[sel])
        opt.zero_grad(); loss.backward(); opt.step()
    sched.step()
    with torch.no_grad():
        acts = []
        vo = model(va_ids, va_off, probe=acts)
        vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
        dead = torch.cat([(a.amax(0) <= 0).float() for a in acts]).mean().item()
    print(f"epoch {epoch} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f} dead ReLU units {dead:.1%}")

with torch.no_grad():
    tl = F.cross_entropy(model(tr_ids, tr_off), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(1 / NTOPIC, 4), "dead_unit_frac": round(dead, 4)}))
