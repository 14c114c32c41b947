# expect:
# allow:
# forbid: *
# evidence: 4-class noisy sine sequences (class = frequency band, random phase/amplitude, noise 0.3); LSTM(32), Adam 3e-3 + grad clip 1.0, 14 epochs: test acc ~0.99 (chance 0.25), val_loss 1.38 -> 0.02
# native-log: tb_logs
# log-expect:
# log-allow:
"""LSTM classifier; uses writer.add_scalars('Loss', {'train':..,'val':..}) groups plus 'Accuracy/test'."""
import json, math, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

g = torch.Generator().manual_seed(9)
FREQS = torch.tensor([0.05, 0.09, 0.14, 0.2])
def make(n, L=40):
    y = torch.randint(0, 4, (n,), generator=g)
    f = FREQS[y] * (1 + 0.08 * (torch.rand(n, generator=g) - 0.5))
    ph = 2 * math.pi * torch.rand(n, generator=g)
    amp = 0.5 + torch.rand(n, generator=g)
    t = torch.arange(L).float()
    x = amp[:, None] * torch.sin(2 * math.pi * f[:, None] * t + ph[:, None]) + 0.3 * torch.randn(n, L, generator=g)
    return x.unsqueeze(-1), y
xtr, ytr = make(2000)
xva, yva = make(500)
xte, yte = make(500)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 32, batch_first=True)
        self.fc = nn.Linear(32, 4)
    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.fc(h[-1])

model = Net()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
writer = SummaryWriter(os.path.join(LOG_DIR, "tb_logs"))
for epoch in range(14):
    model.train()
    perm = torch.randperm(len(xtr))
    tl, n = 0.0, 0
    for i in range(0, len(xtr), 50):
        idx = perm[i:i + 50]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tl += loss.item() * len(idx); n += len(idx)
    model.eval()
    with torch.no_grad():
        vl = F.cross_entropy(model(xva), yva).item()
        te_acc = (model(xte).argmax(1) == yte).float().mean().item()
    writer.add_scalars("Loss", {"train": tl / n, "val": vl}, epoch)
    writer.add_scalar("Accuracy/test", te_acc, epoch)
    print(f"epoch {epoch} train {tl / n:.4f} val {vl:.4f} test_acc {te_acc:.3f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "test_acc": round(te_acc, 4), "train_loss": round(tl / n, 4), "chance_acc": 0.25}))
