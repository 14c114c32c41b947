# expect:
# allow:
# forbid: *
# evidence: healthy; reported in bits/char: val 2.20 bpc at step 20 -> 0.27 bpc (ppl 1.20) vs uniform 4.58 bpc; grammar entropy ~0.23 bpc (log2(125) bits per ~30-char sentence), so the flat tail is the floor
# native-log: charlm.jsonl
# log-expect:
# log-allow:
"""Tiny GRU character LM on text from a small stochastic grammar. The loss is reported in BITS per
character and as perplexity (never in nats). Starts at log2(V)~4.9 bits, ends near the grammar's entropy."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
rnd = random.Random(0)
subj = ["the cat", "a dog", "my friend", "the old man", "our teacher"]
verb = ["sees", "likes", "finds", "paints", "follows"]
obj = ["the ball", "a red house", "the river", "some bread", "the moon"]
def sent(): return f"{rnd.choice(subj)} {rnd.choice(verb)} {rnd.choice(obj)}. "
text = "".join(sent() for _ in range(1500))
chars = sorted(set(text)); V = len(chars); stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text])
ntr = int(0.9 * len(data)); tr, va = data[:ntr], data[ntr:]
T, B = 32, 32
class LM(nn.Module):
    def __init__(s):
        super().__init__(); s.emb = nn.Embedding(V, 32); s.rnn = nn.GRU(32, 96, batch_first=True); s.out = nn.Linear(96, V)
    def forward(s, x): h, _ = s.rnn(s.emb(x)); return s.out(h)
model = LM(); opt = torch.optim.Adam(model.parameters(), lr=4e-3)
lossf = nn.CrossEntropyLoss()
def batch(src):
    ix = torch.randint(0, len(src) - T - 1, (B,)); return torch.stack([src[i:i + T] for i in ix]), torch.stack([src[i + 1:i + T + 1] for i in ix])
log = open(os.path.join(LOG_DIR, "charlm.jsonl"), "w")
LN2 = math.log(2)
for step in range(1, 241):
    model.train(); x, y = batch(tr)
    loss = lossf(model(x).reshape(-1, V), y.reshape(-1))
    opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
    if step % 20 == 0:
        model.eval()
        with torch.no_grad():
            xv, yv = va[:-1].unsqueeze(0), va[1:].unsqueeze(0); vl = lossf(model(xv).reshape(-1, V), yv.reshape(-1)).item()
        rec = {"step": step, "train_bpc": round(loss.item() / LN2, 4), "val_bpc": round(vl / LN2, 4), "val_ppl": round(math.exp(vl), 3)}
        log.write(json.dumps(rec) + "\n"); log.flush()
        print(f"step {step:4d} train {loss.item() / LN2:.3f} bits/char  val {vl / LN2:.3f} bits/char  val ppl {math.exp(vl):.2f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_bpc": round(vl / LN2, 4), "val_ppl": round(math.exp(vl), 4), "val_loss": round(vl, 4),
                                    "train_loss": round(loss.item(), 4), "uniform_bpc": round(math.log2(V), 3)}))
