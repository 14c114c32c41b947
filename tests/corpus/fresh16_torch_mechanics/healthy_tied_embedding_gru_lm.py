# expect:
# allow:
# forbid: *
# evidence: tied-embedding GRU LM: val_loss 1.047 nats vs the chain's true conditional entropy 1.009 (unigram 2.836, uniform 3.178); train_loss 1.031; metric: val_loss close to the Bayes loss
# native-log: lm_log.csv
# log-expect:
# log-allow:
"""Tiny GRU language model on a synthetic Markov-chain token stream, with weight tying: the output
projection reuses the embedding matrix (logits = h @ emb.weight.T), so the embedding receives
gradients from two places. Compared against the chain's true conditional entropy."""
import os, sys, json, random, tempfile, csv, math
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
V = 24
rng = np.random.default_rng(0)
T = np.full((V, V), 0.02 / (V - 3))
for a in range(V):
    nxt = rng.choice(V, 3, replace=False); T[a, nxt] = [0.6, 0.3, 0.08]
T = T / T.sum(1, keepdims=True)
def sample(n):
    s = [0]
    for _ in range(n - 1): s.append(rng.choice(V, p=T[s[-1]]))
    return torch.tensor(s)
stream_tr, stream_va = sample(30000), sample(6000)
pi = np.ones(V) / V
for _ in range(200): pi = pi @ T
H_true = float(-(pi[:, None] * T * np.log(T)).sum())
H_unigram = float(-(pi * np.log(pi)).sum())

class TiedLM(nn.Module):
    def __init__(self, V, d=48):
        super().__init__()
        self.emb = nn.Embedding(V, d); self.rnn = nn.GRU(d, d, batch_first=True)
        self.out_bias = nn.Parameter(torch.zeros(V))
    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return h @ self.emb.weight.t() + self.out_bias   # tied output layer

def batches(stream, L=32, B=32):
    n = (len(stream) - 1) // L
    xs = stream[:n * L].view(n, L); ys = stream[1:n * L + 1].view(n, L)
    return xs, ys
xtr, ytr = batches(stream_tr); xva, yva = batches(stream_va)
model = TiedLM(V); opt = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=0.01)
f = open(os.path.join(LOG_DIR, "lm_log.csv"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "train_loss", "val_loss"])
for ep in range(8):
    perm = torch.randperm(len(xtr)); tot = 0.0
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(xtr[idx]).reshape(-1, V), ytr[idx].reshape(-1))
        opt.zero_grad(); loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
        tot += loss.item() * len(idx)
    with torch.no_grad():
        vl = F.cross_entropy(model(xva).reshape(-1, V), yva.reshape(-1)).item()
    wr.writerow([ep, round(tot / len(xtr), 5), round(vl, 5)])
    print(f"epoch {ep} train_loss {tot/len(xtr):.4f} val_loss {vl:.4f} (true entropy {H_true:.4f}, unigram {H_unigram:.4f})")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "train_loss": round(tot / len(xtr), 4), "bayes_loss": round(H_true, 4), "unigram_loss": round(H_unigram, 4), "chance_loss": round(math.log(V), 4)}))
