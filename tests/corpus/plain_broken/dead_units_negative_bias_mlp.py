# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (hidden bias -4): 100% of fc1 and fc2 ReLUs never fire on val, loss stuck at 0.6931, val_acc 0.516 (= majority 0.516); control (bias 0): 0%/1.6% never fire, val_acc 0.935, val_loss 0.131
# control: --control
"""Tabular binary classifier. Someone "initialised the biases to make the representation sparse":
every hidden ReLU gets bias -4, while pre-activations have std ~0.6, so almost no unit ever fires."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(2024)
BIAS_INIT = 0.0 if "--control" in sys.argv else -4.0

g = torch.Generator().manual_seed(99)
n_feat = 16
w1 = torch.randn(n_feat, 8, generator=g)
w2 = torch.randn(8, generator=g)
_ref = torch.randn(20000, n_feat, generator=g)
THRESH = (torch.relu(_ref @ w1 / 4) @ w2).median()  # balanced labels


def make(n):
    x = torch.randn(n, n_feat, generator=g)
    logit = torch.relu(x @ w1 / 4) @ w2 - THRESH
    return x, (logit > 0).float()


x_tr, y_tr = make(5000)
x_va, y_va = make(1000)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(n_feat, 128)
        self.fc2 = nn.Linear(128, 128)
        self.fc3 = nn.Linear(128, 1)
        for fc in (self.fc1, self.fc2):
            nn.init.constant_(fc.bias, BIAS_INIT)

    def forward(self, x, return_hidden=False):
        h1 = F.relu(self.fc1(x))
        h2 = F.relu(self.fc2(h1))
        out = self.fc3(h2).squeeze(-1)
        return (out, h1, h2) if return_hidden else out


clf = Classifier()
opt = torch.optim.Adam(clf.parameters(), lr=1e-3)

for epoch in range(10):
    clf.train()
    perm = torch.randperm(len(x_tr))
    for k in range(0, len(x_tr), 100):
        b = perm[k:k + 100]
        loss = F.binary_cross_entropy_with_logits(clf(x_tr[b]), y_tr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    clf.eval()
    with torch.no_grad():
        out, h1, h2 = clf(x_va, return_hidden=True)
        vloss = F.binary_cross_entropy_with_logits(out, y_va).item()
        vacc = ((out > 0).float() == y_va).float().mean().item()
        dead1 = (h1.max(0).values <= 0).float().mean().item()
        dead2 = (h2.max(0).values <= 0).float().mean().item()
        tloss = F.binary_cross_entropy_with_logits(clf(x_tr), y_tr).item()
    print(f"epoch {epoch} train_loss {tloss:.4f} val_loss {vloss:.4f} val_acc {vacc:.3f} "
          f"never-firing units: fc1 {dead1:.0%} fc2 {dead2:.0%}")

maj = max(y_va.mean().item(), 1 - y_va.mean().item())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(tloss, 4),
                                     "chance_acc": round(maj, 4), "dead_fc1": round(dead1, 3), "dead_fc2": round(dead2, 3)}))
