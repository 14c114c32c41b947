# expect:
# allow:
# forbid: *
# evidence: token streams from a sparse Markov chain (vocab 24, 3 successors each, entropy 0.90 nats -> best ppl ~2.46, uniform ppl 24); 2-layer causal transformer, AdamW 3e-3 with 20-step linear warm-up + cosine to 0 over 200 steps: val ppl ~2.53
# native-log: metrics.jsonl
# log-expect:
# log-allow:
"""Tiny transformer LM, warm-up + cosine schedule, logs {"step", "train/loss", "lr"} and eval rows to JSONL."""
import json, math, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
V, T = 24, 32

g = torch.Generator().manual_seed(11)
succ = torch.stack([torch.randperm(V, generator=g)[:3] for _ in range(V)])
probs = torch.tensor([0.6, 0.3, 0.1])
H = -(probs * probs.log()).sum().item()

def sample(n):
    x = torch.empty(n, T + 1, dtype=torch.long)
    x[:, 0] = torch.randint(0, V, (n,), generator=g)
    for t in range(T):
        k = torch.multinomial(probs.expand(n, 3), 1, generator=g).squeeze(1)
        x[:, t + 1] = succ[x[:, t], k]
    return x

train_data, val_data = sample(4000), sample(400)

class TinyLM(nn.Module):
    def __init__(self, d=64, L=2):
        super().__init__()
        self.tok = nn.Embedding(V, d)
        self.pos = nn.Embedding(T, d)
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, L, enable_nested_tensor=False)
        self.ln = nn.LayerNorm(d)
        self.out = nn.Linear(d, V)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(T))
    def forward(self, x):
        h = self.tok(x) + self.pos(torch.arange(x.shape[1]))
        return self.out(self.ln(self.blocks(h, mask=self.mask, is_causal=True)))

model = TinyLM()
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
STEPS, WARM = 200, 20
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / WARM if s < WARM else 0.5 * (1 + math.cos(math.pi * (s - WARM) / (STEPS - WARM))))

def evaluate():
    model.eval()
    with torch.no_grad():
        x = val_data
        return F.cross_entropy(model(x[:, :-1]).reshape(-1, V), x[:, 1:].reshape(-1)).item()

log = open(os.path.join(LOG_DIR, "metrics.jsonl"), "w")
for step in range(STEPS):
    model.train()
    b = train_data[torch.randint(0, len(train_data), (32,))]
    loss = F.cross_entropy(model(b[:, :-1]).reshape(-1, V), b[:, 1:].reshape(-1))
    opt.zero_grad(); loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    log.write(json.dumps({"step": step, "train/loss": round(loss.item(), 5), "lr": sched.get_last_lr()[0]}) + "\n")
    sched.step()
    if (step + 1) % 50 == 0:
        vl = evaluate()
        log.write(json.dumps({"step": step, "val/loss": round(vl, 5), "val/ppl": round(math.exp(vl), 4)}) + "\n")
        print(f"step {step + 1} train {loss.item():.4f} val {vl:.4f} ppl {math.exp(vl):.3f} (best possible {math.exp(H):.3f})")
    log.flush()
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ppl": round(math.exp(vl), 4), "train_loss": round(loss.item(), 4), "entropy_floor": round(H, 4), "uniform_loss": round(math.log(V), 4)}))
