"""Word-language-model style training (the classic PyTorch example recipe: plain SGD with lr=20,
truncated BPTT 35, clip 0.25) of a 2-layer GRU LM on a synthetic Markov-chain token stream -- but
the clip_grad_norm_ line was dropped. Without clipping the occasional huge gradient throws the
weights away. --control restores clip_grad_norm_(..., 0.25). Prints per-epoch grad-norm stats."""
# expect: exploding_gradients
# allow: learning_rate_too_high, non_convergence, non_finite, high_bias
# forbid: *
# evidence: control (clip 0.25) val_loss 1.529 (source entropy 1.074, uniform 2.773), max pre-clip grad norm 5.5, median 0.60; planted (no clip, same lr=20) grad norm spikes to 361636 in epoch 0 (median 3.2), train/val loss 60-81 nats, final val_loss 61.7
# control: --control
import sys, json, math, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
V = 16
P = np.random.dirichlet(np.ones(V) * 0.1, size=V)   # sparse first-order Markov chain
def gen(n):
    s = [0]
    for _ in range(n - 1):
        s.append(np.random.choice(V, p=P[s[-1]]))
    return torch.tensor(s)
train, val = gen(20000), gen(4000)
pi = np.ones(V) / V
for _ in range(200):
    pi = pi @ P
entropy = float(sum(pi[i] * -(P[i] * np.log(P[i] + 1e-12)).sum() for i in range(V)))
B, T = 20, 35
def batchify(d):
    n = len(d) // B
    return d[:n * B].view(B, n)
tr, va = batchify(train), batchify(val)

class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32); self.rnn = nn.GRU(32, 64, num_layers=2, batch_first=True); self.out = nn.Linear(64, V)
    def forward(self, x, h=None):
        o, h = self.rnn(self.emb(x), h)
        return self.out(o), h

model = LM()
all_gn = []
opt = torch.optim.SGD(model.parameters(), lr=20.0)
for epoch in range(4):
    model.train(); h = None; gns = []; tot = 0.0; n = 0
    for i in range(0, tr.size(1) - 1 - T, T):
        x, y = tr[:, i:i + T], tr[:, i + 1:i + 1 + T]
        if h is not None:
            h = h.detach()
        out, h = model(x, h)
        loss = F.cross_entropy(out.reshape(-1, V), y.reshape(-1))
        opt.zero_grad(); loss.backward()
        if CONTROL:
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        else:
            gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
        gns.append(gn.item()); all_gn.append(gn.item())
        opt.step(); tot += loss.item(); n += 1
    model.eval()
    with torch.no_grad():
        out, _ = model(va[:, :-1]); vl = F.cross_entropy(out.reshape(-1, V), va[:, 1:].reshape(-1)).item()
    print(f"epoch {epoch} train_loss {tot / n:.3f} val_loss {vl:.3f} grad_norm median {np.median(gns):.2f} max {max(gns):.1f}")
print(f"source entropy (best achievable loss) {entropy:.3f} nats, uniform {math.log(V):.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "train_loss": round(tot / n, 4), "best_loss": round(entropy, 4), "uniform_loss": round(math.log(V), 4), "max_grad_norm": round(max(all_gn), 2), "median_grad_norm": round(float(np.median(all_gn)), 3)}))
