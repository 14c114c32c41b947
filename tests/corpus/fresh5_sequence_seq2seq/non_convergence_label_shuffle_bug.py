# expect: non_convergence
# allow: high_bias
# forbid: *
# evidence: planted (labels permuted without inputs): train_loss 1.36 ~ ln4 = 1.386, val_acc 0.287 (chance 0.25); control (joint permutation): val_acc 0.992, val_loss 0.022
# control: --control
# Language-ID style classifier over syllable sequences (4 synthetic "languages", each with its
# own syllable inventory and bigram preferences) using a small GRU.
# Planted: the custom Dataset "shuffles the training data" in __init__ but applies the
# permutation only to the labels (self.labels = self.labels[perm]) -- inputs and labels are no
# longer paired, so there is nothing to learn and the loss sits at ln(4).
# --control: the permutation is applied to both.
import json, sys
import random
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

CONTROL = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(4)
random.seed(4)

NSYL, NLANG, T = 40, 4, 16
inventories = [random.sample(range(NSYL), 18) for _ in range(NLANG)]


def utterance(lang):
    inv = inventories[lang]
    s = [random.choice(inv)]
    for _ in range(T - 1):
        # each language prefers to follow syllable k by syllable k+1 of its own inventory
        if s[-1] in inv and random.random() < 0.4:
            s.append(inv[(inv.index(s[-1]) + 1) % len(inv)])
        else:
            s.append(random.choice(inv) if random.random() < 0.7 else random.randrange(NSYL))
    return s


class LangID(Dataset):
    def __init__(self, n, shuffle=False):
        self.labels = torch.randint(0, NLANG, (n,))
        self.seqs = torch.tensor([utterance(l) for l in self.labels.tolist()])
        if shuffle:
            perm = torch.randperm(n)
            self.labels = self.labels[perm]
            if CONTROL:
                self.seqs = self.seqs[perm]

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.seqs[i], self.labels[i]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(NSYL, 16)
        self.rnn = nn.GRU(16, 24, batch_first=True)
        self.head = nn.Linear(24, NLANG)

    def forward(self, x):
        return self.head(self.rnn(self.emb(x))[1][-1])


train_ds, val_ds = LangID(3000, shuffle=True), LangID(600)
loader = DataLoader(train_ds, batch_size=64, shuffle=True)
net = Net()
opt = torch.optim.RMSprop(net.parameters(), lr=2e-3)
lossf = nn.CrossEntropyLoss()
for epoch in range(6):
    tot, n = 0.0, 0
    for xb, yb in loader:
        loss = lossf(net(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    with torch.no_grad():
        vo = net(val_ds.seqs)
        vl = lossf(vo, val_ds.labels).item(); va = (vo.argmax(1) == val_ds.labels).float().mean().item()
    print(f"epoch {epoch} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / n, 4),
                                     "chance_acc": 0.25}))
