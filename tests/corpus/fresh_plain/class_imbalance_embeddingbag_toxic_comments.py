# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: train 2.8% toxic. planted (plain shuffle): test acc 0.976 = majority 0.975, toxic recall 0.027, balanced_acc 0.514; control (WeightedRandomSampler, same steps): toxic recall 0.676, balanced_acc 0.822 (its plain acc 0.961 and CE 0.118 look worse only because the test set is 97.5% negative)
# control: --control
"""Toxic-comment detector: nn.EmbeddingBag(mean) + Linear on synthetic comments, where only 3% of
the training comments are toxic.  Toxic comments use 'toxic' words a bit more often than normal
ones, inside lots of shared filler.  With a plain shuffled DataLoader and unweighted cross-entropy
the model learns to answer 'not toxic' almost always (high accuracy, near-zero recall).
--control draws the training batches with a WeightedRandomSampler (inverse class frequency) so the
batches are balanced; same model, loss, optimiser and number of steps.  The held-out set is
also 3% toxic; balanced accuracy and toxic recall are reported."""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, WeightedRandomSampler

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(0)
VOCAB, N_TOXIC_WORDS = 1000, 40


def comments(n, seed, pos_rate=0.03):
    g = torch.Generator().manual_seed(seed)
    zipf = 1.0 / torch.arange(1, VOCAB - N_TOXIC_WORDS + 1).float() ** 0.9
    data = []
    for _ in range(n):
        y = int(torch.rand(1, generator=g) < pos_rate)
        length = int(torch.randint(10, 40, (1,), generator=g))
        toks = torch.multinomial(zipf, length, replacement=True, generator=g) + N_TOXIC_WORDS
        n_tox = int(torch.poisson(torch.tensor([4.0 if y else 0.3]), generator=g))
        if n_tox:
            tox = torch.randint(0, N_TOXIC_WORDS, (n_tox,), generator=g)
            toks = torch.cat([toks, tox])
        data.append((toks, y))
    return data


def collate(batch):
    toks = [t for t, _ in batch]
    offsets = torch.tensor([0] + [len(t) for t in toks[:-1]]).cumsum(0)
    return torch.cat(toks), offsets, torch.tensor([y for _, y in batch])


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.EmbeddingBag(VOCAB, 32, mode="mean")
        self.fc = nn.Linear(32, 2)

    def forward(self, toks, offsets):
        return self.fc(self.emb(toks, offsets))


train_data = comments(6000, 1)
test_data = comments(3000, 2)
labels = torch.tensor([y for _, y in train_data])
if args.control:
    class_w = 1.0 / torch.bincount(labels).float()
    sampler = WeightedRandomSampler(class_w[labels], num_samples=len(labels), replacement=True)
    loader = DataLoader(train_data, batch_size=64, sampler=sampler, collate_fn=collate)
else:
    loader = DataLoader(train_data, batch_size=64, shuffle=True, collate_fn=collate)
test_loader = DataLoader(test_data, batch_size=500, collate_fn=collate)

model = Classifier()
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)


def evaluate():
    model.eval()
    preds, ys, loss = [], [], 0.0
    with torch.no_grad():
        for toks, off, y in test_loader:
            out = model(toks, off)
            loss += F.cross_entropy(out, y, reduction="sum").item()
            preds.append(out.argmax(1))
            ys.append(y)
    p, y = torch.cat(preds), torch.cat(ys)
    acc = (p == y).float().mean().item()
    recall = ((p == 1) & (y == 1)).sum().item() / max(1, (y == 1).sum().item())
    spec = ((p == 0) & (y == 0)).sum().item() / max(1, (y == 0).sum().item())
    return loss / len(y), acc, recall, (recall + spec) / 2, 1 - y.float().mean().item()


for epoch in range(5):
    model.train()
    tot = 0.0
    for toks, off, y in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(toks, off), y)
        loss.backward()
        optimizer.step()
        tot += loss.item()
    val_loss, acc, recall, bal_acc, majority = evaluate()
    print(f"epoch {epoch} train_loss {tot / len(loader):.4f} val_loss {val_loss:.4f} acc {acc:.4f} "
          f"toxic_recall {recall:.3f} balanced_acc {bal_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(acc, 4),
                                     "val_balanced_acc": round(bal_acc, 4), "toxic_recall": round(recall, 4),
                                     "chance_acc": round(majority, 4),
                                     "train_pos_rate": round(labels.float().mean().item(), 4)}))
