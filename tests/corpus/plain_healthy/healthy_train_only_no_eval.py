# expect:
# forbid: *
# evidence: no eval during training; held-out set scored once at the end: val_acc 1.0 (chance 0.25), val_loss 0.0012 ~ train_loss 0.0010
"""Training-only script: no validation during training (just the training loss every 100 steps).
4-class Gaussian-mixture task, MLP + Adam. A held-out set is scored once, after training, only for the corpus metric."""
import json
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)

gen = torch.Generator().manual_seed(23)
centres = torch.randn(4, 3, 8, generator=gen) * 1.3   # 4 classes x 3 sub-clusters each


def sample(n):
    y = torch.randint(0, 4, (n,), generator=gen)
    sub = torch.randint(0, 3, (n,), generator=gen)
    return centres[y, sub] + 0.4 * torch.randn(n, 8, generator=gen), y


X, Y = sample(3000)
model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

step = 0
for epoch in range(15):
    for idx in torch.randperm(len(X)).split(50):
        optimizer.zero_grad()
        loss = criterion(model(X[idx]), Y[idx])
        loss.backward()
        optimizer.step()
        step += 1
        if step % 100 == 0:
            print(f"step {step} loss {loss.item():.4f}")

# --- scored once after training, not part of the training loop ---
Xh, Yh = sample(1000)
with torch.no_grad():
    out = model(Xh)
    m = {"val_loss": round(criterion(out, Yh).item(), 4), "val_acc": round((out.argmax(1) == Yh).float().mean().item(), 4),
         "train_loss": round(criterion(model(X), Y).item(), 4), "chance_acc": 0.25}
print("CORPUS_METRIC " + json.dumps(m))
