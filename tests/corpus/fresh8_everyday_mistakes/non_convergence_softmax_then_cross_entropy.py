# expect: non_convergence
# allow: learning_rate_too_low, vanishing_gradients, high_bias, saturated_activations
# forbid: *
# evidence: planted (Softmax before CrossEntropyLoss, SGD lr 0.01): loss crawls 2.30 -> 1.95 in 10 epochs (floor ~1.46), val_acc 0.40 at epoch 4, final val_acc 0.538, val_loss 1.981; control (logits) val_loss 1.163, train_loss 0.963, val_acc 0.609 (0.615 already at epoch 4; overlapping 10-class blobs, chance 0.1). On easier data (centres x0.5) the mistake was nearly harmless in accuracy (0.816 vs 0.823), so the case uses the harder data
# control: --control
# model ends in nn.Softmax(dim=1) and the outputs go into nn.CrossEntropyLoss, which applies log_softmax
# again. The loss can never go below ~1.7 (10 classes) and its gradients are squashed; plain SGD crawls.
import sys, json
import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
torch.manual_seed(18); torch.set_num_threads(1)

g = torch.Generator().manual_seed(180)
centers = 0.35 * torch.randn(10, 30, generator=g)
def draw(n):
    y = torch.randint(0, 10, (n,), generator=g)
    return centers[y] + torch.randn(n, 30, generator=g), y
x_train, y_train = draw(5000); x_val, y_val = draw(1000)

layers = [nn.Linear(30, 128), nn.ReLU(), nn.Linear(128, 10)]
if not CONTROL:
    layers.append(nn.Softmax(dim=1))      # BUG: CrossEntropyLoss expects logits
model = nn.Sequential(*layers)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(10):
    model.train(); perm = torch.randperm(5000); run = 0.0
    for i in range(0, 5000, 64):
        idx = perm[i:i + 64]
        loss = criterion(model(x_train[idx]), y_train[idx])
        optimizer.zero_grad(); loss.backward(); optimizer.step(); run += loss.item()
    model.eval()
    with torch.no_grad():
        out = model(x_val)
        val_loss = criterion(out, y_val).item()
        val_acc = (out.argmax(1) == y_val).float().mean().item()
    print(f"epoch {epoch} loss {run / 79:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

with torch.no_grad():
    train_loss = criterion(model(x_train), y_train).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": 0.1}))
