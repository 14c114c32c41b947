# expect:
# forbid: *
# evidence: fine-tune at Adam lr=1e-4: train_loss 1.65 -> 0.19, val_acc 0.35 -> 0.922 (majority 0.34), val_loss 0.208 ~ train_loss: clear steady progress
# Pretrain a small MLP on task A (8-way teacher labels), then fine-tune the whole network on a related
# task B (3-way labels defined on the same hidden features, only 1000 labelled examples) with Adam at lr=1e-4.
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)

D = 20
proj = torch.randn(D, 6)  # shared latent structure of both tasks
WA = torch.randn(6, 8)
WB = torch.randn(6, 3)


def task(n, W, g):
    x = torch.randn(3 * n, D, generator=g)
    s = torch.tanh(x @ proj / D ** 0.5 * 2) @ W
    top2 = s.topk(2, dim=1).values
    keep = (top2[:, 0] - top2[:, 1]) > 0.3  # clean labels: drop points too close to a class boundary
    return x[keep][:n], s[keep][:n].argmax(1)


g = torch.Generator().manual_seed(1)
xa, ya = task(4000, WA, g)
xb_tr, yb_tr = task(1000, WB, g)
xb_va, yb_va = task(1000, WB, g)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(D, 128)
        self.fc2 = nn.Linear(128, 64)

    def forward(self, x):
        return F.relu(self.fc2(F.relu(self.fc1(x))))


backbone = Backbone()
head_a = nn.Linear(64, 8)

# ---- stage 1: pretraining on task A ----
opt = torch.optim.Adam(list(backbone.parameters()) + list(head_a.parameters()), lr=2e-3)
for ep in range(15):
    perm = torch.randperm(len(xa))
    for i in range(0, len(xa), 100):
        b = perm[i:i + 100]
        loss = F.cross_entropy(head_a(backbone(xa[b])), ya[b])
        opt.zero_grad(); loss.backward(); opt.step()
    print(f"pretrain epoch {ep + 1} loss {loss.item():.4f}")

# ---- stage 2: fine-tune on task B at a low learning rate ----
head_b = nn.Linear(64, 3)
params = list(backbone.parameters()) + list(head_b.parameters())
opt = torch.optim.Adam(params, lr=1e-4)


def evaluate():
    backbone.eval(); head_b.eval()
    with torch.no_grad():
        logits = head_b(backbone(xb_va))
        return F.cross_entropy(logits, yb_va).item(), (logits.argmax(1) == yb_va).float().mean().item()


for ep in range(40):
    backbone.train(); head_b.train()
    perm = torch.randperm(len(xb_tr))
    run_loss = 0.0
    for i in range(0, len(xb_tr), 25):
        b = perm[i:i + 25]
        loss = F.cross_entropy(head_b(backbone(xb_tr[b])), yb_tr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        run_loss += loss.item() * len(b)
    vl, va = evaluate()
    if ep % 4 == 3 or ep == 0:
        print(f"finetune epoch {ep + 1} train_loss {run_loss / len(xb_tr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                      "train_loss": round(run_loss / len(xb_tr), 4), "chance_acc": round(float(torch.bincount(yb_va).max()) / len(yb_va), 3)}))
