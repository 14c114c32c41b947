# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (hidden 3): train_acc 0.244 / train_loss 1.91 (val 0.237; chance 0.125) -- cannot fit the training set; control (hidden 64): train_acc 1.00, val_acc 1.00
# control: --control
"""GRU tagger for a delayed-recall task: at each step output the symbol seen 3 steps ago
(8 symbols). A GRU must hold the last 3 symbols (8^3 = 512 joint states) in its hidden state.
Planted: hidden_size=3 (the config's `hidden: 3` was meant to be `layers`), far too small
to store them; it cannot even fit the training set. --control: hidden_size=64.
"""
import argparse, json
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
cfg = parser.parse_args()
HIDDEN = 64 if cfg.control else 3
DELAY, NSYM, T = 3, 8, 30

torch.manual_seed(33)
torch.set_num_threads(1)


class DelayData(torch.utils.data.Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.x = torch.randint(0, NSYM, (n, T), generator=g)
        self.y = torch.roll(self.x, DELAY, 1)
        self.y[:, :DELAY] = -100  # nothing to recall yet

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


class Recall(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.emb = nn.Embedding(NSYM, 16)
        self.gru = nn.GRU(16, hidden, batch_first=True)
        self.out = nn.Linear(hidden, NSYM)

    def forward(self, x):
        return self.out(self.gru(self.emb(x))[0])


train_dl = torch.utils.data.DataLoader(DelayData(2000, 1), batch_size=32, shuffle=True)
val = DelayData(500, 2)
model = Recall(HIDDEN)
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
crit = nn.CrossEntropyLoss(ignore_index=-100)


def score(x, y):
    with torch.no_grad():
        o = model(x)
        m = y != -100
        return crit(o.reshape(-1, NSYM), y.reshape(-1)).item(), (o.argmax(-1)[m] == y[m]).float().mean().item()


for epoch in range(6):
    for xb, yb in train_dl:
        loss = crit(model(xb).reshape(-1, NSYM), yb.reshape(-1))
        opt.zero_grad(); loss.backward(); opt.step()
    vl, va = score(val.x, val.y)
    tl, ta = score(train_dl.dataset.x[:500], train_dl.dataset.y[:500])
    print(f"epoch {epoch} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": round(1 / NSYM, 4)}))
