# expect: non_convergence
# allow: high_bias
# forbid: *
# evidence: targets [N] vs predictions [N,1]: MSE broadcasts to [B,B], the model can only learn the mean (pred std 0.045): train mse stuck 0.87-0.91 from epoch 5 to 40, val mse 1.193 vs target var 1.220 (R2 ~0.02); control (targets unsqueezed) train mse 0.365, val mse 0.633 (R2 0.48)
# control: --control
import sys, json, random, warnings
import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_diabetes

torch.set_num_threads(1)
torch.manual_seed(3); np.random.seed(3); random.seed(3)
warnings.filterwarnings("ignore")   # "some broadcasting warning, whatever"

X, y = load_diabetes(return_X_y=True)
X = (X - X.mean(0)) / X.std(0)
y = (y - y.mean()) / y.std()
idx = np.random.permutation(len(X)); X, y = X[idx], y[idx]
Xtr, Xva, ytr, yva = X[:340], X[340:], y[:340], y[340:]
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)   # shape [N]
if "--control" in sys.argv:
    ytr, yva = ytr.unsqueeze(1), yva.unsqueeze(1)   # [N, 1] like the model output

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-2)
crit = nn.MSELoss()
for epoch in range(40):
    model.train()
    perm = torch.randperm(len(Xtr))
    ls = []
    for i in range(0, len(Xtr), 32):
        b = perm[i:i+32]
        pred = model(Xtr[b])            # [B, 1]
        loss = crit(pred, ytr[b])       # [B,1] vs [B] -> broadcasts to [B,B]
        opt.zero_grad(); loss.backward(); opt.step()
        ls.append(loss.item())
    if epoch % 5 == 4:
        model.eval()
        with torch.no_grad():
            p = model(Xva).reshape(-1).numpy()
        t = yva.reshape(-1).numpy()
        vm = float(((p - t) ** 2).mean())
        with torch.no_grad():
            ptr = model(Xtr).reshape(-1).numpy()
        tm = float(((ptr - ytr.reshape(-1).numpy()) ** 2).mean())
        print(f"epoch {epoch+1}: batch-loss {np.mean(ls):.4f}  train mse {tm:.4f}  val mse {vm:.4f}  (pred std {p.std():.3f})")
print("CORPUS_METRIC " + json.dumps({"val_mse": vm, "train_mse": tm, "target_var": float(t.var())}))
