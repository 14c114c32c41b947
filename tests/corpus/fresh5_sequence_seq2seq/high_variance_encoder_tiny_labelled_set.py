# expect: high_variance
# allow: overfitting
# forbid: *
# evidence: planted (80 training examples): train_acc 1.00 / train_loss 0.002 but val_acc 0.636 / val_loss 1.53; control (3000 examples): train_acc 0.825, val_acc 0.798, val_loss 0.46
# control: --control
# nn.TransformerEncoder (post-LN, batch_first) sequence classifier: which of 5 "keyword" tokens
# is the most frequent in a 24-token sequence of mostly filler. Planted: only the first 80
# labelled examples are used for training (the rest were held back by a leftover debug slice
# `train = train[:80]`), while the 2-layer encoder trains for the same number of steps.
# Train loss goes to ~0 while validation stays poor. --control: the full 3000-example set.
import argparse, json, math
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.set_num_threads(1)
torch.manual_seed(27)
V, L, K = 40, 24, 5


def make(n):
    x = torch.randint(K, V, (n, L))
    counts = torch.zeros(n, K)
    for i in range(n):
        m = torch.randint(4, 12, (1,)).item()
        pos = torch.randperm(L)[:m]
        kw = torch.randint(0, K, (m,))
        x[i, pos] = kw
        counts[i] = torch.bincount(kw, minlength=K).float()
    y = (counts + 0.1 * torch.rand(n, K)).argmax(1)
    return x, y


xtr, ytr = make(3000)
xva, yva = make(800)
if not args.control:
    xtr, ytr = xtr[:80], ytr[:80]

d = 64
model = nn.ModuleDict({
    "emb": nn.Embedding(V, d),
    "enc": nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 128, dropout=0.0, batch_first=True), 2,
                                 enable_nested_tensor=False),
    "cls": nn.Linear(d, K),
})


def fwd(x):
    return model["cls"](model["enc"](model["emb"](x)).mean(1))


opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0)
STEPS, BS = 320, 32
g = torch.Generator().manual_seed(0)
for step in range(STEPS):
    idx = torch.randint(0, len(xtr), (BS,), generator=g)
    loss = F.cross_entropy(fwd(xtr[idx]), ytr[idx])
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 64 == 0 or step == STEPS - 1:
        model.eval()
        with torch.no_grad():
            vo = fwd(xva); vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
            to = fwd(xtr[:800]); tl = F.cross_entropy(to, ytr[:800]).item(); ta = (to.argmax(1) == ytr[:800]).float().mean().item()
        model.train()
        print(f"step {step} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": round(torch.bincount(yva).max().item() / len(yva), 4)}))
