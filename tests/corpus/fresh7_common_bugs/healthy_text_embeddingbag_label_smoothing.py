# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.957 (chance 0.2), val_loss 0.207, train CE 0.095
# native-log: text_clf_history.jsonl
# log-expect:
# log-allow:
"""Topic classification of synthetic token sequences (vocab 600, 5 topics) with
EmbeddingBag(mean) -> Linear -> ReLU -> Linear -> ReLU -> Linear, Adam(lr=2e-3).

Healthy twin of poor_initialization_constant_init_text.py: Xavier init, harder documents (only
~12% topic keywords), label smoothing 0.1, a 1-epoch linear lr warm-up. Writes its own JSONL
history (one object per epoch: ep, lr, tr_loss, va_loss, va_acc).
"""
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

V, T, L = 600, 5, 24


def make_docs(n, g):
    # every topic owns 40 keyword ids; documents mix ~12% topic keywords with common words
    y = torch.randint(0, T, (n,), generator=g)
    common = torch.randint(T * 40, V, (n, L), generator=g)
    kw = y.view(-1, 1) * 40 + torch.randint(0, 40, (n, L), generator=g)
    use_kw = torch.rand(n, L, generator=g) < 0.12
    return torch.where(use_kw, kw, common), y


class TextClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.EmbeddingBag(V, 32, mode="mean")
        self.fc1, self.fc2, self.out = nn.Linear(32, 64), nn.Linear(64, 64), nn.Linear(64, T)

    def forward(self, tokens):
        h = F.relu(self.fc1(self.emb(tokens)))
        h = F.relu(self.fc2(h))
        return self.out(h), h


def init_weights(model):
    for name, p in model.named_parameters():
        if name.endswith("weight"):
            nn.init.xavier_uniform_(p)
        else:
            nn.init.zeros_(p)


torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(3)
xtr, ytr = make_docs(4000, g)
xva, yva = make_docs(1000, g)
model = TextClassifier()
init_weights(model)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
steps_per_epoch = len(xtr) // 50
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / steps_per_epoch))
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
hist = open(os.path.join(log_dir, "text_clf_history.jsonl"), "w")

for epoch in range(8):
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for i in range(0, len(xtr), 50):
        idx = perm[i:i + 50]
        logits, _ = model(xtr[idx])
        loss = F.cross_entropy(logits, ytr[idx], label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item() * len(idx)
    with torch.no_grad():
        lv, h = model(xva)
        vl = F.cross_entropy(lv, yva).item()
        va = (lv.argmax(1) == yva).float().mean().item()
    hist.write(json.dumps({"ep": epoch + 1, "lr": opt.param_groups[0]["lr"], "tr_loss": round(tot / len(xtr), 5),
                           "va_loss": round(vl, 5), "va_acc": round(va, 4)}) + "\n")
    hist.flush()
    print(f"epoch {epoch+1}: train_loss={tot/len(xtr):.4f} val_loss={vl:.4f} val_acc={va:.3f}")

with torch.no_grad():
    w = model.fc1.weight
    distinct_rows = torch.unique(w.round(decimals=5), dim=0).shape[0]
    hs = h - h.mean(1, keepdim=True)
    print(f"probe: distinct rows in fc1.weight after training = {distinct_rows}/64; "
          f"std across units of fc2 activations = {hs.std().item():.2e}")
    tl = F.cross_entropy(model(xtr)[0], ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tl, 4), "chance_acc": 0.2}))
