# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (lr hits 0 after 94 steps) loss frozen from epoch 1: train_loss 0.566, val_loss 0.576, val_acc 0.861; control (total_steps = 94*20) train_loss 0.037, val_loss 0.156, val_acc 0.936 (majority 0.341)
# control: --control
# Linear-decay schedule written with LambdaLR, but `total_steps` was computed as
# len(train_loader) (steps per EPOCH) instead of len(train_loader) * epochs. The lr decays
# to 0 by the end of epoch 1 and is clamped there for the remaining 19 epochs.
import sys, json
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

torch.manual_seed(0)
torch.set_num_threads(1)
EPOCHS = 20

gen = torch.Generator().manual_seed(21)
feats = torch.randn(4000, 16, generator=gen)
w = torch.randn(16, 3, generator=gen)
labels = (torch.relu(feats @ w) - 0.3 * (feats[:, :3] ** 2)).argmax(1)
train_loader = DataLoader(TensorDataset(feats[:3000], labels[:3000]), batch_size=32, shuffle=True)
val_x, val_y = feats[3000:], labels[3000:]

model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
total_steps = len(train_loader) * EPOCHS if "--control" in sys.argv else len(train_loader)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.0, 1 - s / total_steps))
criterion = nn.CrossEntropyLoss()

for epoch in range(EPOCHS):
    model.train()
    running = 0.0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        scheduler.step()
        running += loss.item()
    model.eval()
    with torch.no_grad():
        out = model(val_x)
        val_loss = criterion(out, val_y).item()
        val_acc = (out.argmax(1) == val_y).float().mean().item()
    train_loss = running / len(train_loader)
    print(f"epoch {epoch:2d} lr {scheduler.get_last_lr()[0]:.5f} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": val_loss, "val_acc": val_acc, "train_loss": train_loss, "chance_acc": torch.bincount(val_y).max().item() / len(val_y)}))
