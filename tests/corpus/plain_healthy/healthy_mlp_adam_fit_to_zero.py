# expect:
# forbid: *
# evidence: val_acc 1.0 (chance 0.25), val_loss 0.0001; train_loss 4.8e-05 after 60 epochs, val_acc >=0.997 from epoch 10 on and val_loss falls with train_loss (no rise): healthy fit-to-zero
"""Plain MLP + Adam on a 4-class teacher task (points with a clear margin).
Trained far past the point where train loss is ~0; val accuracy stays at its best."""
import json
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)

D, K = 12, 4
teacher = nn.Sequential(nn.Linear(D, 32), nn.Tanh(), nn.Linear(32, K))
for p in teacher.parameters():
    p.requires_grad_(False)


def make(n):
    xs, ys = [], []
    while sum(len(x) for x in xs) < n:
        x = torch.randn(4 * n, D)
        logits = teacher(x)
        top2 = logits.topk(2, dim=1).values
        keep = (top2[:, 0] - top2[:, 1]) > 0.4  # leave a margin around the boundary
        xs.append(x[keep]); ys.append(logits[keep].argmax(1))
    return torch.cat(xs)[:n], torch.cat(ys)[:n]


x_train, y_train = make(2000)
x_val, y_val = make(1000)

model = nn.Sequential(
    nn.Linear(D, 128), nn.ReLU(),
    nn.Linear(128, 128), nn.ReLU(),
    nn.Linear(128, K),
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

batch = 100
for epoch in range(1, 61):
    model.train()
    perm = torch.randperm(len(x_train))
    running = 0.0
    for i in range(0, len(x_train), batch):
        idx = perm[i:i + batch]
        loss = loss_fn(model(x_train[idx]), y_train[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        running += loss.item() * len(idx)
    train_loss = running / len(x_train)
    model.eval()
    with torch.no_grad():
        out = model(x_val)
        val_loss = loss_fn(out, y_val).item()
        val_acc = (out.argmax(1) == y_val).float().mean().item()
    if epoch % 10 == 0 or epoch == 1:
        print(f"epoch {epoch:3d}  train_loss {train_loss:.5f}  val_loss {val_loss:.4f}  val_acc {val_acc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 6), "chance_acc": 0.25}))
