# Small GRU sentiment classifier on synthetic token sequences, scalars to TensorBoard.
# expect:
# allow:
# forbid: *
# evidence: healthy; bi-GRU reaches val_acc 0.973 (majority 0.545), val_loss 0.063, train_loss 0.011
# native-log: tb
# log-expect:
# log-allow:
import os, json, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1)
torch.manual_seed(1); np.random.seed(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))

VOCAB, L = 60, 18
POS, NEG, NOT = list(range(2, 8)), list(range(8, 14)), 14   # "not" flips the next sentiment word


def make(n, rng):
    X = rng.integers(15, VOCAB, size=(n, L))
    y = np.zeros(n, dtype=np.int64)
    for i in range(n):
        score = 0
        k = rng.integers(1, 4)
        pos = np.sort(rng.choice(np.arange(1, L), size=k, replace=False))
        for p in pos:
            s = rng.integers(0, 2)
            X[i, p] = rng.choice(POS if s else NEG)
            val = 1 if s else -1
            if rng.random() < 0.3:
                X[i, p - 1] = NOT; val = -val
            score += val
        if score == 0:
            X[i, pos[0]] = rng.choice(POS); score = 1 if X[i, pos[0] - 1] != NOT else -1
        y[i] = int(score > 0)
    return torch.tensor(X), torch.tensor(y)


rng = np.random.default_rng(1)
Xtr, ytr = make(2000, rng)
Xva, yva = make(600, rng)


class GRUClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.gru = nn.GRU(32, 48, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(96, 2)

    def forward(self, x):
        h, _ = self.gru(self.emb(x))
        return self.fc(h.mean(1))


model = GRUClassifier()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
crit = nn.CrossEntropyLoss()
step = 0
for epoch in range(7):
    model.train()
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), 64):
        b = perm[i:i + 64]
        loss = crit(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if step % 10 == 0:
            writer.add_scalar("train/loss", loss.item(), step)
            writer.add_scalar("train/lr", opt.param_groups[0]["lr"], step)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = crit(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    writer.add_scalar("val/loss", vl, step); writer.add_scalar("val/acc", va, step)
    print(f"epoch {epoch} val_loss {vl:.4f} val_acc {va:.4f}")
writer.close()
with torch.no_grad():
    tl = crit(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.5, "majority_acc": round(max(yva.float().mean().item(), 1 - yva.float().mean().item()), 4)}))
