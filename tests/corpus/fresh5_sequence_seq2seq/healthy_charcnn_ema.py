# expect:
# allow:
# forbid: *
# evidence: char-CNN, trains to train_loss ~0.005 / train_acc 1.0 while the EMA model keeps val_acc 0.999 (val_loss 0.017; chance 0.2)
# Character-level CNN text classifier (Zhang et al. style, shrunk) on synthetic "product
# titles": the class is decided by which keyword stem occurs somewhere in a noisy character
# string (with typos). Trains until the training loss is ~0; evaluation uses an EMA copy of
# the weights (torch.optim.swa_utils.AveragedModel with an EMA avg_fn).
import json, random, string
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel
from torch.utils.data import Dataset, DataLoader

torch.set_num_threads(1)
random.seed(21)
torch.manual_seed(21)

ALPHA = string.ascii_lowercase + " "
C2I = {c: i + 1 for i, c in enumerate(ALPHA)}
MAXLEN = 48
STEMS = [["cable", "charger", "usb"], ["shirt", "jacket", "denim"], ["apple", "mango", "banana"],
         ["novel", "poetry", "comic"], ["drill", "hammer", "wrench"]]


def noisy(word):
    w = list(word)
    if random.random() < 0.3:
        w[random.randrange(len(w))] = random.choice(string.ascii_lowercase)
    return "".join(w)


def filler():
    return "".join(random.choice(string.ascii_lowercase) for _ in range(random.randint(2, 6)))


def title(label):
    parts = [filler() for _ in range(random.randint(1, 4))]
    parts.insert(random.randrange(len(parts) + 1), noisy(random.choice(STEMS[label])))
    return " ".join(parts)[:MAXLEN]


class Titles(Dataset):
    def __init__(self, n):
        self.y = [random.randrange(len(STEMS)) for _ in range(n)]
        self.x = [title(l) for l in self.y]

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        ids = torch.zeros(MAXLEN, dtype=torch.long)
        enc = [C2I[c] for c in self.x[i]]
        ids[:len(enc)] = torch.tensor(enc)
        return ids, self.y[i]


class CharCNN(nn.Module):
    def __init__(self, n_cls=5, emb=16, ch=64):
        super().__init__()
        self.emb = nn.Embedding(len(ALPHA) + 1, emb, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(emb, ch, k, padding=k // 2) for k in (3, 5, 7)])
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(3 * ch, n_cls)

    def forward(self, x):
        e = self.emb(x).transpose(1, 2)
        feats = [F.relu(c(e)).amax(-1) for c in self.convs]
        return self.fc(self.drop(torch.cat(feats, 1)))


train_ds, val_ds = Titles(1500), Titles(800)
train_dl = DataLoader(train_ds, batch_size=32, shuffle=True)
val_dl = DataLoader(val_ds, batch_size=400)
model = CharCNN()
ema = AveragedModel(model, avg_fn=lambda avg, new, n: 0.98 * avg + 0.02 * new)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)


def evaluate(m, dl):
    m.eval()
    loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in dl:
            out = m(xb)
            loss += F.cross_entropy(out, yb, reduction="sum").item()
            correct += (out.argmax(1) == yb).sum().item(); n += len(yb)
    return loss / n, correct / n


for epoch in range(8):
    model.train()
    for xb, yb in train_dl:
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step()
        ema.update_parameters(model)
    tl, ta = evaluate(model, DataLoader(train_ds, batch_size=500))
    vl, va = evaluate(ema, val_dl)
    print(f"epoch {epoch:2d} train_loss {tl:.4f} train_acc {ta:.3f} | ema val_loss {vl:.4f} val_acc {va:.3f}")

tl, ta = evaluate(ema, DataLoader(train_ds, batch_size=500))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.2}))
