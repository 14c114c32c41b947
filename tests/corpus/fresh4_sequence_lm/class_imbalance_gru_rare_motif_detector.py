# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: control (class-weighted CE) val positive recall 0.979, balanced acc 0.984, F1 0.79; planted (plain CE, 2.4% positives) predicts no positives: recall 0.000, balanced acc 0.500, val_acc 0.9765 = majority rate
# control: --control
"""Detect 'fraud' event logs: a sequence of event codes is positive when it contains the motif
LOGIN_FOREIGN -> CHANGE_PW -> WIRE (codes 7, 3, 9) as three consecutive events. Positives are
~2.4% of the logs. Plain cross-entropy; --control uses class-weighted CE."""
import sys
import json

import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(8)
gen = torch.Generator().manual_seed(8)

N_CODES, LEN = 12, 20


def has_motif(row):
    r = row.tolist()
    return any(r[i:i + 3] == [7, 3, 9] for i in range(len(r) - 2))


def make(n, pos_rate=0.012):
    X = torch.randint(0, N_CODES, (n, LEN), generator=gen)
    y = torch.zeros(n, dtype=torch.long)
    n_pos = int(n * pos_rate)
    for i in range(n_pos):
        s = int(torch.randint(0, LEN - 2, (1,), generator=gen))
        X[i, s:s + 3] = torch.tensor([7, 3, 9])
    for i in range(n):
        y[i] = int(has_motif(X[i]))
    perm = torch.randperm(n, generator=gen)
    return X[perm], y[perm]


X_train, y_train = make(6000)
X_val, y_val = make(2000)
print(f"positives: train {y_train.float().mean():.3f}, val {y_val.float().mean():.3f}")


class LogClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(N_CODES, 16)
        self.gru = nn.GRU(16, 32, batch_first=True)
        self.fc = nn.Linear(32, 2)

    def forward(self, x):
        _, h = self.gru(self.emb(x))
        return self.fc(h[-1])


model = LogClassifier()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
if CONTROL:
    freq = torch.bincount(y_train, minlength=2).float()
    weight = freq.sum() / (2 * freq)
    criterion = nn.CrossEntropyLoss(weight=weight)
else:
    criterion = nn.CrossEntropyLoss()


def metrics(X, y):
    with torch.no_grad():
        logits = model(X)
        pred = logits.argmax(1)
        loss = nn.functional.cross_entropy(logits, y).item()
    tp = ((pred == 1) & (y == 1)).sum().item()
    fp = ((pred == 1) & (y == 0)).sum().item()
    fn = ((pred == 0) & (y == 1)).sum().item()
    recall = tp / max(1, tp + fn)
    tnr = ((pred == 0) & (y == 0)).sum().item() / max(1, (y == 0).sum().item())
    f1 = 2 * tp / max(1, 2 * tp + fp + fn)
    return dict(loss=loss, acc=(pred == y).float().mean().item(), recall=recall, f1=f1,
                bal_acc=(recall + tnr) / 2, frac_pred_pos=(pred == 1).float().mean().item())


for epoch in range(3):
    perm = torch.randperm(len(X_train))
    for i in range(0, len(perm), 64):
        b = perm[i:i + 64]
        loss = criterion(model(X_train[b]), y_train[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    m = metrics(X_val, y_val)
    print(f"epoch {epoch}: val_loss {m['loss']:.4f} acc {m['acc']:.3f} recall {m['recall']:.3f} "
          f"f1 {m['f1']:.3f} bal_acc {m['bal_acc']:.3f} pred_pos {m['frac_pred_pos']:.3f}")

tr = metrics(X_train, y_train)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["loss"], 4), "val_acc": round(m["acc"], 4),
                                     "val_pos_recall": round(m["recall"], 4), "val_f1": round(m["f1"], 4),
                                     "val_balanced_acc": round(m["bal_acc"], 4), "train_loss": round(tr["loss"], 4),
                                     "majority_acc": round(1 - y_val.float().mean().item(), 4)}))
