# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (model.train() only once, dropout off from epoch 2): train_loss 0.016, val_loss 0.88 at epoch 5 rising to 1.980, val_acc 0.715 -> 0.641; control (model.train() every epoch) train_loss 0.449, val_loss 0.877 -> 0.931, val_acc 0.699 (majority 0.303; 20% label noise)
# control: --control
"""Evaluates at the end of every epoch with model.eval(), but model.train() is only called once before the
loop: from epoch 2 on, Dropout(0.5) is silently disabled and the wide MLP memorises its noisy labels."""
import argparse, json
import torch, torch.nn as nn, torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true", help="call model.train() at the top of each epoch")
args = p.parse_args()
torch.manual_seed(0); torch.set_num_threads(1)

D, K = 20, 4
g = torch.Generator().manual_seed(5)
Wt = torch.randn(D, 8, generator=g) / D ** 0.5; Vt = torch.randn(8, K, generator=g)
def make(n):
    x = torch.randn(n, D, generator=g)
    y = (torch.tanh(x @ Wt) @ Vt).argmax(1)
    flip = torch.rand(n, generator=g) < 0.2
    y[flip] = torch.randint(0, K, (int(flip.sum()),), generator=g)
    return x, y
xtr, ytr = make(1500); xva, yva = make(1000)

model = nn.Sequential(nn.Linear(D, 256), nn.ReLU(), nn.Dropout(0.5),
                      nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, K))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)

def evaluate():
    model.eval()
    with torch.no_grad():
        out = model(xva)
        return F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()

model.train()
for epoch in range(30):
    if args.control:
        model.train()
    perm = torch.randperm(len(xtr)); tot = 0.0
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx)
    vl, va = evaluate()
    if epoch % 5 == 0 or epoch == 29:
        print(f"epoch {epoch} train {tot/len(xtr):.3f} val_loss {vl:.3f} val_acc {va:.3f} dropout_active_in_training={args.control or epoch == 0}")
model.eval()
with torch.no_grad():
    tl = F.cross_entropy(model(xtr), ytr).item()
vl, va = evaluate()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(yva.bincount().max().item() / len(yva), 3)}))
