# expect:
# allow:
# forbid: *
# evidence: 2-layer TransformerEncoder (d=32, 4 heads, pre-norm) on a synthetic sequence task (which of tokens 1/2 occurs more often in a length-16 sequence over 8 tokens, ties removed), AdamW with no weight decay on biases/LayerNorm/embeddings, LambdaLR linear warm-up (10% of steps) then linear decay to 0, clip_grad_norm_(1.0): val_acc 1.00 from epoch 0, val_loss 0.0013, train_loss 0.0014 at the end (chance 0.50); an easy task, so late gradients are tiny because the model has converged, not because anything is wrong
# native-log: log.jsonl
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

rng = np.random.default_rng(0)
seqs, labels = [], []
while len(seqs) < 2400:
    s = rng.integers(0, 8, 16)
    a, b = (s == 1).sum(), (s == 2).sum()
    if a == b:
        continue
    seqs.append(s); labels.append(int(a > b))
S = torch.tensor(np.array(seqs)); Y = torch.tensor(labels)
Str, Sva, ytr, yva = S[:2000], S[2000:], Y[:2000], Y[2000:]


class TinyEncoder(nn.Module):
    def __init__(self, vocab=8, d=32, L=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, d); self.pos = nn.Parameter(torch.zeros(1, L, d))
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.0, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d); self.head = nn.Linear(d, 2)

    def forward(self, x):
        h = self.enc(self.emb(x) + self.pos)
        return self.head(self.norm(h.mean(1)))


model = TinyEncoder()
decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "emb" not in n and "pos" not in n]
no_decay = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "emb" not in n and "pos" not in n)]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}], lr=2e-3)
epochs, bs = 8, 64
total = epochs * math.ceil(len(Str) / bs); warm = total // 10
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / (total - warm)))
log = open(os.path.join(log_dir, "log.jsonl"), "w")
step = 0
for ep in range(epochs):
    model.train(); perm = torch.randperm(len(Str)); tot = 0.0
    for i in range(0, len(Str), bs):
        idx = perm[i:i + bs]
        loss = F.cross_entropy(model(Str[idx]), ytr[idx])
        opt.zero_grad(set_to_none=True); loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step(); sched.step(); step += 1
        tot += loss.item() * len(idx)
        if step % 8 == 0:
            log.write(json.dumps({"step": step, "train_loss": round(loss.item(), 5), "lr": opt.param_groups[0]["lr"]}) + "\n")
    model.eval()
    with torch.no_grad():
        out = model(Sva)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Str)
    log.write(json.dumps({"step": step, "epoch": ep, "val_loss": round(vl, 5), "val_acc": round(va, 4)}) + "\n"); log.flush()
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.5}))
