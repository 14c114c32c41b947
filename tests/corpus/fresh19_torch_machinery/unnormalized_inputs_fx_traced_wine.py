# expect: unnormalized_inputs
# allow: non_convergence, high_bias, dead_units, learning_rate_too_high, exploding_gradients, saturated_activations
# forbid: *
# evidence: planted (raw wine features, proline ~1e3) train loss jumps between 8 and 25, test_acc 0.389 (majority 0.40), test_loss 2.02; control (standardised) test_acc 0.981, test_loss 0.046, train_loss 0.001
# control: --control
"""A model is traced with torch.fx, every ReLU node is rewritten to SiLU with
a small graph pass, and the resulting GraphModule is what gets trained."""
import argparse
import json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.fx import symbolic_trace
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

pa = argparse.ArgumentParser()
pa.add_argument("--control", action="store_true")
opt_args = pa.parse_args()
torch.manual_seed(0)
torch.set_num_threads(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.lin = nn.Linear(d, d)

    def forward(self, x):
        return x + F.relu(self.lin(x))


class WineNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(13, 32)
        self.blocks = nn.Sequential(Block(32), Block(32))
        self.out = nn.Linear(32, 3)

    def forward(self, x):
        return self.out(self.blocks(F.relu(self.stem(x))))


gm = symbolic_trace(WineNet())
for node in gm.graph.nodes:
    if node.op == "call_function" and node.target is F.relu:
        node.target = F.silu
gm.graph.lint()
gm.recompile()
print(gm.code)

X, y = load_wine(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
if opt_args.control:
    mu, sigma = X_tr.mean(axis=0), X_tr.std(axis=0)
    X_tr, X_te = (X_tr - mu) / sigma, (X_te - mu) / sigma
X_tr, X_te = torch.as_tensor(X_tr, dtype=torch.float32), torch.as_tensor(X_te, dtype=torch.float32)
y_tr, y_te = torch.as_tensor(y_tr), torch.as_tensor(y_te)

optimizer = torch.optim.SGD(gm.parameters(), lr=0.01, momentum=0.9)
for epoch in range(100):
    gm.train()
    perm = torch.randperm(len(X_tr))
    losses = []
    for i in range(0, len(perm), 16):
        b = perm[i:i + 16]
        loss = F.cross_entropy(gm(X_tr[b]), y_tr[b])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    gm.eval()
    with torch.no_grad():
        logits = gm(X_te)
        te_loss = F.cross_entropy(logits, y_te).item()
        te_acc = (logits.argmax(1) == y_te).float().mean().item()
    if epoch % 10 == 0 or epoch == 99:
        print(f"epoch {epoch} train_loss {np.mean(losses):.4f} test_loss {te_loss:.4f} test_acc {te_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(te_loss, 4), "val_acc": round(te_acc, 4),
                                     "train_loss": round(float(np.mean(losses)), 4), "chance_acc": 0.4}))
