"""Healthy: the loss is computed inside the model's forward (Hugging Face style), Adam with a cosine
schedule and gradient clipping."""
# expect:
# forbid: *
import torch
import torch.nn.functional as F
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(4)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(16, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU())
        self.head = nn.Linear(64, 5)

    def forward(self, x, labels=None):
        logits = self.head(self.body(x))
        loss = F.cross_entropy(logits, labels) if labels is not None else None
        return {"loss": loss, "logits": logits}


x = torch.randn(2000, 16)
y = (x @ torch.randn(16, 5)).argmax(1)
model = Classifier()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
steps = 300
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
for step in range(steps):
    idx = torch.randint(0, 1600, (64,))
    out = model(x[idx], labels=y[idx])
    opt.zero_grad()
    out["loss"].backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 50 == 49:
        model.eval()
        with torch.no_grad():
            print(step, model(x[1600:], labels=y[1600:])["loss"].item())
        model.train()
