# expect:
# allow:
# forbid: *
# evidence: full-batch LBFGS (float64): CE 0.540 -> 0.068 within 5 outer iterations then flat; val_acc 0.988, val_loss 0.046 (majority 0.626); final grad norm 1.8e-3 (converged, L2-balanced); metric: val_acc
# native-log: lbfgs.csv
# log-expect:
# log-allow:
"""float64 L2-regularised softmax regression + small tanh hidden layer on standardised breast
cancer, trained full-batch with torch.optim.LBFGS (closure, strong-Wolfe line search). It
converges within a few outer iterations (3 inner iterations each); afterwards the loss is flat and the gradient
norm is ~1e-3 (L2 penalty balanced) -- a converged model, not a stuck one. Per-iteration loss is logged to CSV."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_default_dtype(torch.float64)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=5, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr)), torch.tensor(sc.transform(Xva)); ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(30, 16), nn.Tanh(), nn.Linear(16, 2))
opt = torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=3, history_size=20, line_search_fn="strong_wolfe")
lam = 1e-2
def closure():
    opt.zero_grad()
    loss = F.cross_entropy(model(Xtr), ytr) + lam * sum((p ** 2).sum() for n, p in model.named_parameters() if "weight" in n)
    loss.backward(); return loss
f = open(os.path.join(LOG_DIR, "lbfgs.csv"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "train_loss", "val_loss", "val_acc", "grad_norm"])
for it in range(16):
    if it > 0: opt.step(closure)          # row 0 = the untrained model
    with torch.no_grad():
        tl = F.cross_entropy(model(Xtr), ytr).item()
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).double().mean().item()
    closure(); gn = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters())).item()
    wr.writerow([it, round(tl, 8), round(vl, 8), round(va, 4), gn])
    if it % 5 == 0 or it == 15: print(f"iter {it} train_loss {tl:.6f} val_loss {vl:.4f} val_acc {va:.4f} grad_norm {gn:.2e}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 6), "chance_acc": round(float(max(yva.double().mean(), 1 - yva.double().mean())), 4), "final_grad_norm": gn}))
