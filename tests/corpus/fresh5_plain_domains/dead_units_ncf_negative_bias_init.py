# expect: dead_units
# allow: non_convergence, vanishing_gradients, poor_initialization, high_bias
# forbid: *
# evidence: planted (bias -0.1): 100% of layer-1 ReLUs never fire on validation pairs, loss stuck at 0.693, val_acc 0.507 (majority 0.50); control (bias 0): 0% dead, val_acc 0.71, val_loss 0.55
# control: --control
"""Neural collaborative filtering (NCF-MLP tower) for click prediction. Embeddings start at
N(0, 0.01) as in the paper, and the author's init helper sets every Linear bias to -0.1 (a
sign slip: the old tutorial used +0.1 'to avoid dead ReLUs'). With inputs this small, every
ReLU in the tower gets a negative pre-activation for every (user, item) pair, so no gradient
ever flows below the head. Control: biases initialised to 0."""
import argparse
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
cfg = p.parse_args()
torch.manual_seed(19)
torch.set_num_threads(1)

NU, NI, K = 300, 200, 4
Ut, It = torch.randn(NU, K), torch.randn(NI, K)
n = 40000
u = torch.randint(0, NU, (n,))
i = torch.randint(0, NI, (n,))
score = (Ut[u] * It[i]).sum(1) / K ** 0.5
y = (torch.rand(n) < torch.sigmoid(2.5 * score)).float()
tr, va = slice(0, 32000), slice(32000, n)


class NCF(nn.Module):
    def __init__(self, dim=32, bias_init=-0.1):
        super().__init__()
        self.ue = nn.Embedding(NU, dim)
        self.ie = nn.Embedding(NI, dim)
        self.tower = nn.Sequential(nn.Linear(2 * dim, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                                   nn.Linear(64, 32), nn.ReLU())
        self.out = nn.Linear(32, 1)
        nn.init.normal_(self.ue.weight, std=0.01)
        nn.init.normal_(self.ie.weight, std=0.01)
        for m in self.tower:
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.constant_(m.bias, bias_init)

    def forward(self, u, i):
        return self.out(self.tower(torch.cat([self.ue(u), self.ie(i)], 1))).squeeze(1)


model = NCF(bias_init=0.0 if cfg.control else -0.1)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)

for epoch in range(6):
    model.train()
    perm = torch.randperm(32000)
    tot = 0.0
    for s in range(0, 32000, 256):
        j = perm[s:s + 256]
        loss = F.binary_cross_entropy_with_logits(model(u[j], i[j]), y[j])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(j)
    model.eval()
    with torch.no_grad():
        h = torch.cat([model.ue(u[va]), model.ie(i[va])], 1)
        a1 = F.relu(model.tower[0](h))
        dead = (a1.max(0).values <= 0).float().mean().item()
        lo = model(u[va], i[va])
        vl = F.binary_cross_entropy_with_logits(lo, y[va]).item()
        acc = ((lo > 0).float() == y[va]).float().mean().item()
    print(f"epoch {epoch+1} train_loss {tot/32000:.4f} val_loss {vl:.4f} val_acc {acc:.4f} dead_frac_layer1 {dead:.2f}")

base = y[tr].mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tot / 32000, 4),
                                     "chance_acc": round(max(base, 1 - base), 4), "dead_frac_layer1": round(dead, 3)}))
