"""Small GRU language model on sequences from a synthetic stochastic grammar (an order-1 Markov
chain over 12 tokens with a known entropy rate). Logs are written in the format of the
pytorch-ignite tutorials ('Epoch[3] Iteration[120/250] Loss: 1.234' and 'Validation Results -
Epoch: 3  Avg loss: ... Avg perplexity: ...'), through Python logging with timestamps. The job was
interrupted after epoch 3 and resumed from the epoch-2 checkpoint, so the resumed process logs
epoch 3 again and its 'Iteration' counter restarts; a 'Resuming from checkpoint' line and a
DeprecationWarning sit between."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val loss 1.716 nats vs the chain's entropy rate 1.695 (the best achievable; unigram baseline ln12 = 2.485); val loss is near the floor after epoch 1 (1.80) and then only creeps down -- converged, not stuck
# native-log: train.log
# log-expect:
# log-allow:
import os, json, random, tempfile, math, datetime
import numpy as np, torch, torch.nn as nn

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
V, L = 12, 33
rng = np.random.default_rng(0)
P = rng.dirichlet(np.full(V, 0.3), size=V)        # transition matrix
pi = np.ones(V) / V
for _ in range(200): pi = pi @ P
H = -(pi[:, None] * P * np.log(P + 1e-12)).sum()  # entropy rate in nats
def sample(n):
    s = np.zeros((n, L), dtype=np.int64); s[:, 0] = rng.integers(0, V, n)
    cum = P.cumsum(1)
    for t in range(1, L):
        u = rng.random(n); s[:, t] = (u[:, None] > cum[s[:, t - 1]]).sum(1)
    return torch.tensor(np.minimum(s, V - 1))
tr, va = sample(1200), sample(300)
class LM(nn.Module):
    def __init__(s):
        super().__init__(); s.emb = nn.Embedding(V, 32); s.gru = nn.GRU(32, 64, batch_first=True); s.out = nn.Linear(64, V)
    def forward(s, x):
        h, _ = s.gru(s.emb(x)); return s.out(h)
def lossof(m, b):
    return nn.functional.cross_entropy(m(b[:, :-1]).reshape(-1, V), b[:, 1:].reshape(-1))
log = open(os.path.join(logdir, "train.log"), "w")
clock = datetime.datetime(2026, 4, 2, 13, 5, 11)
def info(msg):
    global clock; clock += datetime.timedelta(seconds=2.7)
    log.write(f"{clock:%Y-%m-%d %H:%M:%S},{clock.microsecond // 1000:03d} ignite.engine.engine.Engine INFO: {msg}\n")
nb = len(tr) // 32
def run_epochs(m, opt, e0, e1, ck=None):
    for ep in range(e0, e1 + 1):
        m.train(); perm = torch.randperm(len(tr))
        for it in range(nb):
            loss = lossof(m, tr[perm[it * 32:(it + 1) * 32]])
            opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step()
            if (it + 1) % 10 == 0:
                info(f"Epoch[{ep}] Iteration[{it+1}/{nb}] Loss: {loss.item():.4f}")
        m.eval()
        with torch.no_grad():
            vl = lossof(m, va).item()
        info(f"Validation Results - Epoch: {ep}  Avg loss: {vl:.4f} Avg perplexity: {math.exp(vl):.3f}")
        if ck is not None and ep == 2:
            ck.update(m={k: v.clone() for k, v in m.state_dict().items()}, o=opt.state_dict())
    return loss.item(), vl
m = LM(); opt = torch.optim.Adam(m.parameters(), lr=3e-3); ck = {}
info("Engine run starting with max_epochs=8."); run_epochs(m, opt, 1, 3, ck)
log.write("Traceback (most recent call last):\n  File \"train.py\", line 141, in <module>\nKeyboardInterrupt\n")
info("Resuming from checkpoint checkpoint_epoch=2.pt")
log.write("/usr/lib/python3/dist-packages/ignite/handlers/checkpoint.py:1013: DeprecationWarning: `require_empty` is deprecated\n")
m = LM(); opt = torch.optim.Adam(m.parameters(), lr=3e-3); m.load_state_dict(ck["m"]); opt.load_state_dict(ck["o"])
tl, vl = run_epochs(m, opt, 3, 8)
info("Engine run complete. Time taken: 00:00:21"); log.close()
print(f"train_loss {tl:.4f} val_loss {vl:.4f} entropy_rate {H:.4f} unigram {math.log(V):.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ppl": round(math.exp(vl), 3), "entropy_rate_nats": round(float(H), 4), "train_loss": round(tl, 4)}))
