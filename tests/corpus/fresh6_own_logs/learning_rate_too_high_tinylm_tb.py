# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, high_bias, non_finite
# forbid: *
# evidence: planted Adam lr 0.1: train loss jumps from 3.2 to 40.9 by step 25 (uniform-guess loss 3.18), val ppl 2.4e15 at step 25, then a noisy partial recovery (train 1.10-1.46) to val_loss 1.12 / ppl 3.05 at step 200; control lr 1e-3: val_loss 0.936 / ppl 2.55 (entropy floor 0.898 / ppl 2.45)
# control: --control
# native-log: tb
# log-expect: learning_rate_too_high
# log-allow: non_convergence, high_bias, non_finite, exploding_gradients
"""Tiny causal transformer LM on a sparse Markov-chain language (vocab 24, entropy 0.90 nats/token).
Planted: Adam at lr 1e-1, constant, no warm-up (control: 1e-3, everything else the same).
Log: SummaryWriter tags loss/train, loss/val, perplexity (validation), lr."""
import json, math, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
LR = 1e-3 if "--control" in sys.argv else 1e-1
V, T = 24, 32

g = torch.Generator().manual_seed(12)
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
        self.out = nn.Linear(d, V)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(T))
    def forward(self, x):
        h = self.tok(x) + self.pos(torch.arange(x.shape[1]))
        return self.out(self.blocks(h, mask=self.mask, is_causal=True))

model = TinyLM()
opt = torch.optim.Adam(model.parameters(), lr=LR)
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))
for step in range(200):
    model.train()
    b = train_data[torch.randint(0, len(train_data), (32,))]
    loss = F.cross_entropy(model(b[:, :-1]).reshape(-1, V), b[:, 1:].reshape(-1))
    opt.zero_grad(); loss.backward(); opt.step()
    writer.add_scalar("loss/train", loss.item(), step)
    writer.add_scalar("lr", LR, step)
    if (step + 1) % 25 == 0:
        model.eval()
        with torch.no_grad():
            vl = F.cross_entropy(model(val_data[:, :-1]).reshape(-1, V), val_data[:, 1:].reshape(-1)).item()
        writer.add_scalar("loss/val", vl, step)
        writer.add_scalar("perplexity", math.exp(vl), step)
        print(f"step {step + 1} train {loss.item():.4f} val {vl:.4f} ppl {math.exp(vl):.2f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ppl": round(math.exp(vl), 3), "train_loss": round(loss.item(), 4), "entropy_floor": round(H, 4), "uniform_loss": round(math.log(V), 4), "lr": LR}))
