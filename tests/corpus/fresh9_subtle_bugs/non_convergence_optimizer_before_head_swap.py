# expect: non_convergence
# allow: learning_rate_too_low, high_bias, exploding_gradients
# forbid: *
# evidence: planted (optimizer built on the old head) train_loss flat at 1.715, val_acc 0.351 for 25 epochs (new head .grad never zeroed, grows to 6.8e3); control (optimizer built after the swap) val_acc 0.869, train_loss 0.31 (chance 0.25)
# control: --control
# Transfer learning: a backbone is pretrained on a source task, frozen, and a new head is put
# on for the 4-class target task. The optimiser was built from model.head.parameters() BEFORE
# the head was replaced, so it holds the old head's tensors and the new head never moves.
import sys, json
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
torch.manual_seed(0)
torch.set_num_threads(1)


class Net(nn.Module):
    def __init__(self, n_out):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(24, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
        self.head = nn.Linear(64, n_out)

    def forward(self, x):
        return self.head(self.backbone(x))


# shared latent structure between source and target tasks
W = torch.randn(24, 6)
def task(n, proj, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 24, generator=g)
    z = x @ W
    return x, (z @ proj).argmax(1)

src_x, src_y = task(4000, torch.randn(6, 10), 1)
P_tgt = torch.randn(6, 4)
tx, ty = task(1500, P_tgt, 2)
vx, vy = task(1000, P_tgt, 3)

# --- stage 1: pretrain on source ---
model = Net(10)
popt = torch.optim.Adam(model.parameters(), lr=2e-3)
for ep in range(4):
    for i in range(0, 4000, 64):
        loss = F.cross_entropy(model(src_x[i:i + 64]), src_y[i:i + 64])
        popt.zero_grad(); loss.backward(); popt.step()
print("pretrain done, source loss", round(loss.item(), 3))

# --- stage 2: fine-tune a new head ---
for p in model.backbone.parameters():
    p.requires_grad = False
if not CONTROL:
    optimizer = torch.optim.Adam(model.head.parameters(), lr=1e-3)
model.head = nn.Linear(64, 4)
if CONTROL:
    optimizer = torch.optim.Adam(model.head.parameters(), lr=1e-3)

for ep in range(25):
    perm = torch.randperm(1500)
    tl = []
    for i in range(0, 1500, 32):
        b = perm[i:i + 32]
        loss = F.cross_entropy(model(tx[b]), ty[b])
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        tl.append(loss.item())
    with torch.no_grad():
        out = model(vx)
        vl = F.cross_entropy(out, vy).item(); va = (out.argmax(1) == vy).float().mean().item()
    print(f"ft epoch {ep} train_loss {sum(tl)/len(tl):.4f} val_loss {vl:.4f} val_acc {va:.3f} head_grad {model.head.weight.grad.norm():.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": sum(tl) / len(tl), "chance_acc": 0.25}))
