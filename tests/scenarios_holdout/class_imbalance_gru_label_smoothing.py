"""Held-out: anomaly detection on sequences with a GRU; 96% of windows are normal; plain
CrossEntropyLoss(label_smoothing=0.05), no class weights or resampling; accuracy ~ the majority rate."""
# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1111)
n, length = 2000, 20
y = (torch.rand(n) < 0.04).long()
x = torch.randn(n, length, 2)
x[y == 1, :, 1] += 0.35  # a faint drift on the second channel marks the anomaly
xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]


class Detector(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 16, batch_first=True)
        self.out = nn.Linear(16, 2)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1])


model = Detector()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss(label_smoothing=0.05)
for epoch in range(5):
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        opt.zero_grad()
        loss = crit(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(xva).argmax(1)
    print(f"epoch {epoch} loss {loss.item():.3f} acc {(pred == yva).float().mean():.3f} "
          f"anomalies caught {((pred == 1) & (yva == 1)).sum().item()}/{(yva == 1).sum().item()}")
