# Character-level CNN that tells apart three synthetic "languages" (strings drawn from three
# different character-bigram Markov chains). Everything lives in main().
# expect:
# allow:
# forbid: *
# evidence: healthy; char-CNN reaches val_acc 0.987 (chance 0.333), val_loss 0.038, train_loss 0.008
import json, string
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ALPHA = string.ascii_lowercase + " "
MAXLEN = 40


def make_chain(rng, sharp):
    logits = rng.normal(0, sharp, (len(ALPHA), len(ALPHA)))
    P = np.exp(logits); return P / P.sum(1, keepdims=True)


def sample(rng, P, n):
    out = np.zeros((n, MAXLEN), dtype=np.int64)
    lens = rng.integers(15, MAXLEN + 1, n)
    c = rng.integers(len(ALPHA), size=n)
    cum = P.cumsum(1)
    for j in range(MAXLEN):
        out[:, j] = np.where(j < lens, c + 1, 0)      # 0 = padding
        c = np.minimum((rng.random(n)[:, None] > cum[c]).sum(1), len(ALPHA) - 1)
    return out


class CharCNN(nn.Module):
    def __init__(self, n_cls=3):
        super().__init__()
        self.emb = nn.Embedding(len(ALPHA) + 1, 16, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(16, 48, k, padding=k // 2) for k in (2, 3, 4)])
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(48 * 3, n_cls)

    def forward(self, x):
        h = self.emb(x).transpose(1, 2)
        h = torch.cat([F.relu(c(h)).amax(-1) for c in self.convs], 1)
        return self.fc(self.drop(h))


def main():
    torch.set_num_threads(1); torch.manual_seed(0)
    rng = np.random.default_rng(0)
    chains = [make_chain(rng, 2.0) for _ in range(3)]
    # make the languages share most transitions: blend with a common chain
    common = make_chain(rng, 1.2)
    chains = [0.2 * common + 0.8 * c for c in chains]
    X = np.concatenate([sample(rng, P, 700) for P in chains]); y = np.repeat(np.arange(3), 700)
    perm = rng.permutation(len(y)); X, y = X[perm], y[perm]
    Xtr, ytr, Xva, yva = map(torch.tensor, (X[:1500], y[:1500], X[1500:], y[1500:]))
    model = CharCNN()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for epoch in range(10):
        model.train()
        p = torch.randperm(len(Xtr)); tot = 0.0
        for i in range(0, len(p), 32):
            b = p[i:i + 32]
            loss = F.cross_entropy(model(Xtr[b]), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            o = model(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        print(f"Epoch {epoch+1}/10 - loss: {tot/len(Xtr):.4f} - val_loss: {vl:.4f} - val_acc: {va:.4f}")
    with torch.no_grad():
        tl = F.cross_entropy(model(Xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(1 / 3, 4)}))


if __name__ == "__main__":
    main()
