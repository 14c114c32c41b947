# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (lr=1e-2) val_mse 0.517, train_mse 0.426, update/weight ~3e-2; planted (lr=1e-5) update/weight ~6e-5, train_mse 1.150 -> 1.072 in 60 epochs, val_mse 0.840 (target variance 0.801)
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
"""float64 MLP regression trained with a manual SGD loop (no optimiser object). The lr was written
as 1e-5 (meant 1e-2), so every update is <1e-4 of the weights and the loss barely moves in the
budget. --control uses lr=1e-2."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_default_dtype(torch.float64)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_diabetes(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0)
sx = StandardScaler().fit(Xtr); my, sy = ytr.mean(), ytr.std()
Xtr, Xva = torch.tensor(sx.transform(Xtr)), torch.tensor(sx.transform(Xva))
ytr, yva = torch.tensor((ytr - my) / sy).unsqueeze(1), torch.tensor((yva - my) / sy).unsqueeze(1)
model = nn.Sequential(nn.Linear(10, 32), nn.Tanh(), nn.Linear(32, 1))
lr = 1e-2 if CONTROL else 1e-5
f = open(os.path.join(LOG_DIR, "metrics.csv"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "train_loss", "val_loss", "lr"])
for ep in range(60):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 16):
        idx = perm[i:i + 16]
        loss = ((model(Xtr[idx]) - ytr[idx]) ** 2).mean()
        model.zero_grad(); loss.backward()
        with torch.no_grad():
            ratio = max((lr * p.grad).norm().item() / p.norm().item() for p in model.parameters())
            for p in model.parameters(): p -= lr * p.grad
        tot += loss.item() * len(idx)
    with torch.no_grad(): vl = ((model(Xva) - yva) ** 2).mean().item()
    wr.writerow([ep, round(tot / len(Xtr), 6), round(vl, 6), lr])
    if ep % 10 == 0 or ep == 59:
        print(f"epoch {ep} train_mse {tot/len(Xtr):.4f} val_mse {vl:.4f} max update/weight {ratio:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tot / len(Xtr), 4), "target_var": round(yva.var().item(), 4)}))
