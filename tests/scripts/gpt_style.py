"""GPT-style: the loss is computed inside the model's forward; AdamW, clipping, a scheduler,
GradScaler (disabled on CPU, as scripts written for GPUs run on CPU), eval helper under no_grad,
and a JSON config file of the script's own given on the command line."""
import json
import sys

import torch
import torch.nn.functional as F
from torch import nn

cfg = json.load(open(sys.argv[1])) if len(sys.argv) > 1 else {"steps": 60, "lr": 3e-3}
torch.manual_seed(0)
V, T, D = 16, 12, 32


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, D)
        self.block = nn.TransformerEncoderLayer(D, 2, 64, dropout=0.0, batch_first=True)
        self.head = nn.Linear(D, V)

    def forward(self, idx, targets=None):
        logits = self.head(self.block(self.emb(idx)))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, V), targets.reshape(-1))
        return logits, loss


def batch(n=16):
    start = torch.randint(0, V, (n, 1))
    seq = (start + torch.arange(T + 1)) % V  # predictable: next token = token + 1
    return seq[:, :-1], seq[:, 1:]


model = TinyLM()
opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg["steps"])
scaler = torch.amp.GradScaler("cpu", enabled=False)


@torch.no_grad()
def estimate_loss():
    model.eval()
    x, y = batch(64)
    _, loss = model(x, y)
    model.train()
    return loss.item()


for it in range(cfg["steps"]):
    x, y = batch()
    _, loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    scaler.step(opt)
    scaler.update()
    sched.step()
    if it % 20 == 19:
        print(f"iter {it}: val {estimate_loss():.3f}")
print("__name__ was", __name__)
