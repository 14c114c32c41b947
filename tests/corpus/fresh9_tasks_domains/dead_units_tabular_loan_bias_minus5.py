# expect: dead_units
# allow: vanishing_gradients, poor_initialization, non_convergence, high_bias
# forbid: *
# evidence: bias -5: 100% of ReLUs in all 3 hidden layers never fire on val data, val_loss 0.693, val_acc 0.512 = majority rate. Control (default bias init): dead h1/h2 0%/2%, val_loss 0.417, val_acc 0.810
# control: --control
# Loan default model on tabular data (2 categorical cols as embeddings + 6 numeric).
# Planted: a "sparse activations" idea gone wrong -- every hidden Linear gets bias init -5,
# so almost all ReLUs start (and stay) off.
import argparse, json
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
opt_args = ap.parse_args()
torch.manual_seed(5)
torch.set_num_threads(1)

def loans(n, g):
    grade = torch.randint(0, 7, (n,), generator=g)
    purpose = torch.randint(0, 12, (n,), generator=g)
    num = torch.randn(n, 6, generator=g)  # already standardised: income, dti, util, age, term, amount
    z = (0.45 * grade - 1.4 + 0.8 * num[:, 1] + 0.6 * num[:, 2] - 0.5 * num[:, 0]
         + 0.4 * torch.tanh(num[:, 5] * num[:, 2]) + PURPOSE_EFF[purpose])
    y = (torch.rand(n, generator=g) < torch.sigmoid(1.8 * z)).float()
    return grade, purpose, num, y

PURPOSE_EFF = torch.randn(12) * 0.5
g = torch.Generator().manual_seed(0)
train = loans(4000, g)
val = loans(1500, g)

class LoanMLP(nn.Module):
    def __init__(self, bias_init):
        super().__init__()
        self.grade = nn.Embedding(7, 4)
        self.purpose = nn.Embedding(12, 6)
        self.fc1 = nn.Linear(16, 128)
        self.fc2 = nn.Linear(128, 128)
        self.fc3 = nn.Linear(128, 64)
        self.out = nn.Linear(64, 1)
        if bias_init is not None:
            for fc in (self.fc1, self.fc2, self.fc3):
                nn.init.constant_(fc.bias, bias_init)

    def forward(self, grade, purpose, num, return_hidden=False):
        x = torch.cat([self.grade(grade), self.purpose(purpose), num], 1)
        h1 = F.relu(self.fc1(x))
        h2 = F.relu(self.fc2(h1))
        h3 = F.relu(self.fc3(h2))
        o = self.out(h3).squeeze(1)
        return (o, (h1, h2, h3)) if return_hidden else o

model = LoanMLP(None if opt_args.control else -5.0)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

def dead_fraction(h):
    return (h.max(0).values <= 0).float().mean().item()

for epoch in range(12):
    perm = torch.randperm(4000)
    ep_loss = 0.0
    for s in range(0, 4000, 100):
        i = perm[s:s + 100]
        logits = model(train[0][i], train[1][i], train[2][i])
        loss = F.binary_cross_entropy_with_logits(logits, train[3][i])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        ep_loss += loss.item() / 40
    with torch.no_grad():
        vl, hs = model(*val[:3], return_hidden=True)
        v_loss = F.binary_cross_entropy_with_logits(vl, val[3]).item()
        v_acc = ((vl > 0).float() == val[3]).float().mean().item()
    print(f"epoch {epoch}: loss {ep_loss:.4f} val_loss {v_loss:.4f} val_acc {v_acc:.4f} "
          f"dead h1/h2/h3 {dead_fraction(hs[0]):.2f}/{dead_fraction(hs[1]):.2f}/{dead_fraction(hs[2]):.2f}")

majority = max(val[3].mean().item(), 1 - val[3].mean().item())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(v_loss, 4), "val_acc": round(v_acc, 4), "train_loss": round(ep_loss, 4),
                                      "chance_acc": round(majority, 4),
                                      "dead_frac_h2": round(dead_fraction(hs[1]), 3), "dead_frac_h3": round(dead_fraction(hs[2]), 3)}))
