# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (92/5/3% priors): val_acc 0.915 below the majority rate 0.928, minority recalls 0.37/0.19, balanced acc 0.51; control (balanced sampling, same n): balanced acc 0.82 (val_acc 0.826, majority 0.35)
# control: --control
# Intent detection on chat-like token sequences with a 1-D conv + max-pool encoder.
# Planted: the training log was scraped from production, where 92% of messages are "other";
# "cancel" and "refund" are 5% and 3% (and cues for them are noisy). Trained with plain
# cross-entropy, the model learns to answer "other". --control: the same generator and the
# same number of examples, but sampled class-balanced (train and validation).
import json, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

BALANCED = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(19)
V, T = 100, 20
CUES = {1: torch.tensor([10, 11]), 2: torch.tensor([20, 21])}  # e.g. "cancel my" / "want refund"
PRIORS = torch.tensor([1 / 3, 1 / 3, 1 / 3]) if BALANCED else torch.tensor([0.92, 0.05, 0.03])


def make(n):
    y = torch.multinomial(PRIORS, n, replacement=True)
    x = torch.randint(30, V, (n, T))
    for i in range(n):
        for c, cue in CUES.items():
            # the class's cue shows up 80% of the time in that class, 5% of the time elsewhere
            if torch.rand(1).item() < (0.8 if y[i] == c else 0.05):
                p = torch.randint(0, T - 1, (1,)).item()
                x[i, p:p + 2] = cue
    return x, y


class ConvIntent(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 16)
        self.conv = nn.Conv1d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        return self.fc(F.relu(self.conv(self.emb(x).transpose(1, 2))).amax(-1))


xtr, ytr = make(3000)
xva, yva = make(1000)
model = ConvIntent()
opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
for epoch in range(4):
    for idx in torch.randperm(len(xtr)).split(32):
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        vo = model(xva)
        pred = vo.argmax(1)
        vl = F.cross_entropy(vo, yva).item()
        va = (pred == yva).float().mean().item()
        recalls = [((pred == c) & (yva == c)).sum().item() / max(1, (yva == c).sum().item()) for c in range(3)]
    print(f"epoch {epoch} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f} recall/class {[round(r, 2) for r in recalls]}")

with torch.no_grad():
    tl = F.cross_entropy(model(xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "balanced_acc": round(sum(recalls) / 3, 4),
                                     "majority_rate": round(torch.bincount(yva).max().item() / len(yva), 4),
                                     "chance_acc": round(torch.bincount(yva).max().item() / len(yva), 4)}))
