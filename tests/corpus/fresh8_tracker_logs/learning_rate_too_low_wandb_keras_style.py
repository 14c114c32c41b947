# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (Adam lr=1e-3) reaches val_acc 0.942, train_loss 0.006; planted (lr=3e-6) after 30 epochs: train_loss 1.752 (from ~1.79, ln6=1.79), val_acc 0.267 (chance 0.167), loss falling slowly and steadily the whole run
# control: --control
# native-log: wandb/offline-run-20261201_090000-7hq2c0zz/files/wandb-history.jsonl
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
"""Keras-habit person writing W&B history by hand from PyTorch (keys loss / val_loss / accuracy /
val_accuracy / lr, like WandbCallback). Adam with lr=3e-6 ("small is safe")."""
import json, os, sys, tempfile, time
from dataclasses import dataclass
import torch
from torch import nn


@dataclass
class Config:
    lr: float = 3e-6
    epochs: int = 30
    batch_size: int = 64
    hidden: int = 128
    seed: int = 11


cfg = Config()
if "--control" in sys.argv:
    cfg.lr = 1e-3
torch.manual_seed(cfg.seed)
torch.set_num_threads(1)

# 6-class problem: label = sector of the angle in a random 2-d projection of 20-d inputs, plus radius
W = torch.randn(20, 2)
def make(n):
    x = torch.randn(n, 20)
    z = x @ W
    ang = torch.atan2(z[:, 1], z[:, 0])
    y = ((ang + torch.pi) / (2 * torch.pi) * 6).long().clamp(max=5)
    return x, y
x_train, y_train = make(3000)
x_val, y_val = make(1000)

model = nn.Sequential(nn.Linear(20, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, 6))
optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
loss_fn = nn.CrossEntropyLoss()

files = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "wandb", "offline-run-20261201_090000-7hq2c0zz", "files")
os.makedirs(files, exist_ok=True)
hist = open(os.path.join(files, "wandb-history.jsonl"), "w")
start = time.time()

def evaluate(x, y):
    model.eval()
    with torch.no_grad():
        out = model(x)
        return loss_fn(out, y).item(), (out.argmax(1) == y).float().mean().item()

for epoch in range(cfg.epochs):
    model.train()
    idx = torch.randperm(len(x_train))
    for s in range(0, len(idx), cfg.batch_size):
        b = idx[s:s + cfg.batch_size]
        optimizer.zero_grad()
        l = loss_fn(model(x_train[b]), y_train[b])
        l.backward()
        optimizer.step()
    loss, acc = evaluate(x_train, y_train)
    val_loss, val_acc = evaluate(x_val, y_val)
    row = {"epoch": epoch, "loss": loss, "accuracy": acc, "val_loss": val_loss, "val_accuracy": val_acc,
           "lr": cfg.lr, "_step": epoch, "_runtime": time.time() - start, "_timestamp": time.time()}
    hist.write(json.dumps(row) + "\n")
    print(f"Epoch {epoch + 1}/{cfg.epochs} - loss: {loss:.4f} - accuracy: {acc:.4f} - val_loss: {val_loss:.4f} - val_accuracy: {val_acc:.4f}")
hist.close()
with open(os.path.join(files, "wandb-summary.json"), "w") as f:
    json.dump(row, f)
print("CORPUS_METRIC " + json.dumps({"val_loss": val_loss, "val_acc": val_acc, "train_loss": loss, "chance_acc": 1 / 6}))
