# expect: high_bias
# allow: vanishing_gradients, non_convergence
# forbid: *
# evidence: planted (40->8 projection frozen at init) train_acc 0.347, train_loss 1.48, val_acc 0.310 after 30 epochs; control (projection trainable) train_acc 0.984, val_acc 0.939, val_loss 0.133 (chance 0.2)
# control: --control
# Someone froze the input projection while debugging ("check the head can learn on its own")
# and never removed the line. The 40 -> 8 projection stays at its random init, so the rest of
# the network only sees a random 8-d shadow of the input.
import sys, json
import torch, torch.nn as nn, torch.nn.functional as F
torch.manual_seed(0); torch.set_num_threads(1)

D, C = 40, 5
g = torch.Generator().manual_seed(5)
A = torch.randn(D, C, generator=g)
def draw(n):
    x = torch.randn(n, D, generator=g)
    return x, (x @ A + 0.3 * torch.randn(n, C, generator=g)).argmax(1)
x_train, y_train = draw(4000)
x_val, y_val = draw(1000)

model = nn.Sequential(
    nn.Linear(D, 8), nn.ReLU(),          # input projection (bottleneck)
    nn.Linear(8, 64), nn.ReLU(),
    nn.Linear(64, C),
)
# DEBUG: freeze the projection
if "--control" not in sys.argv:
    model[0].weight.requires_grad_(False)
    model[0].bias.requires_grad_(False)

opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=3e-3)

for epoch in range(30):
    perm = torch.randperm(4000); ls = []
    for i in range(0, 4000, 128):
        b = perm[i:i+128]
        loss = F.cross_entropy(model(x_train[b]), y_train[b])
        opt.zero_grad(); loss.backward(); opt.step(); ls.append(loss.item())
    with torch.no_grad():
        o = model(x_val); vl = F.cross_entropy(o, y_val).item(); va = (o.argmax(1) == y_val).float().mean().item()
        ta = (model(x_train).argmax(1) == y_train).float().mean().item()
    if epoch % 3 == 0 or epoch == 29:
        print(f"epoch {epoch} train_loss {sum(ls)/len(ls):.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": sum(ls)/len(ls), "train_acc": ta, "chance_acc": 0.2}))
