# expect:
# allow:
# forbid: *
# evidence: language of modular progressions x[t+1] = (x[t] + k) mod 30 with k one of 4 per sequence: only the 1st prediction is uncertain (ln 4), so the per-token floor is ln4/24 = 0.058 nats (ppl 1.06); GRU(96) LM, Adam 3e-3 + clip 1.0, 250 steps: val perplexity ~1.07 (uniform ppl 30)
# native-log: runs
# log-expect:
# log-allow:
"""GRU language model; SummaryWriter tags train/loss (per step), val/loss and val/perplexity (every 50 steps)."""
import json, math, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
V, T = 30, 24
STEPS_K = torch.tensor([1, 4, 7, 11])

g = torch.Generator().manual_seed(121)
def sample(n):
    x0 = torch.randint(0, V, (n, 1), generator=g)
    k = STEPS_K[torch.randint(0, 4, (n, 1), generator=g)]
    return (x0 + k * torch.arange(T + 1)) % V
train_data, val_data = sample(5000), sample(500)

class GRULM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.gru = nn.GRU(32, 96, batch_first=True)
        self.out = nn.Linear(96, V)
    def forward(self, x):
        h, _ = self.gru(self.emb(x))
        return self.out(h)

model = GRULM()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
writer = SummaryWriter(os.path.join(LOG_DIR, "runs", "gru_lm"))
for step in range(250):
    model.train()
    b = train_data[torch.randint(0, len(train_data), (32,))]
    loss = F.cross_entropy(model(b[:, :-1]).reshape(-1, V), b[:, 1:].reshape(-1))
    opt.zero_grad(); loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    writer.add_scalar("train/loss", loss.item(), step)
    if (step + 1) % 50 == 0:
        model.eval()
        with torch.no_grad():
            vl = F.cross_entropy(model(val_data[:, :-1]).reshape(-1, V), val_data[:, 1:].reshape(-1)).item()
        writer.add_scalar("val/loss", vl, step)
        writer.add_scalar("val/perplexity", math.exp(vl), step)
        print(f"step {step + 1} train {loss.item():.4f} val {vl:.4f} ppl {math.exp(vl):.3f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ppl": round(math.exp(vl), 4), "train_loss": round(loss.item(), 4), "entropy_floor": round(math.log(4) / T, 4), "uniform_loss": round(math.log(V), 4)}))
