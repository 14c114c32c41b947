# expect:
# allow:
# forbid: *
# evidence: click rate 0.151; val AUC 0.793 -> 0.833 best (oracle true-logit AUC on val 0.864), test AUC 0.801 (oracle 0.844); val_loss 0.333 -> 0.309, early stop after 2 flat epochs (0.3117/0.3113) restores best
# native-log: dcn/history.csv
# log-expect:
# log-allow:
"""CTR-style tabular model: a Deep & Cross Network (3 cross layers x_{l+1} = x0 * (W x_l + b) + x_l
in parallel with a deep MLP) over 5 categorical fields (embeddings) and 6 log-transformed,
standardised numeric features. Click rate ~18%. Adam + ReduceLROnPlateau, early stopping; writes a
Keras-like history CSV (epoch,loss,val_loss,val_auc,lr)."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.metrics import roc_auc_score
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "dcn"), exist_ok=True)

N = 16000; CARD = [50, 20, 10, 7, 24]
cats = np.stack([np.random.zipf(1.6, N) % c for c in CARD], 1)
raw = np.random.lognormal(0, 1, (N, 6)) * np.array([100, 5, 1, 30, 2, 1000])
num = np.log1p(raw)
effs = [np.random.randn(c) * 0.6 for c in CARD]
inter = np.random.randn(CARD[0], CARD[1]) * 0.6
zn = (num - num.mean(0)) / num.std(0)
logit = sum(effs[k][cats[:, k]] for k in range(5)) + inter[cats[:, 0], cats[:, 1]] + 0.8 * zn[:, 0] - 0.6 * zn[:, 1] * zn[:, 2] + 0.4 * zn[:, 3] - 2.0
y = (np.random.rand(N) < 1 / (1 + np.exp(-logit))).astype(np.float32)
ntr, nva = 12000, 14000
mu, sd = num[:ntr].mean(0), num[:ntr].std(0)
Xn = torch.tensor((num - mu) / sd, dtype=torch.float32); Xc = torch.tensor(cats); Y = torch.tensor(y)
print(f"click rate {y.mean():.3f}")

class DCN(nn.Module):
    def __init__(self, d_emb=8, n_cross=3):
        super().__init__()
        self.embs = nn.ModuleList([nn.Embedding(c, d_emb) for c in CARD])
        d0 = d_emb * len(CARD) + 6
        self.cross = nn.ModuleList([nn.Linear(d0, d0) for _ in range(n_cross)])
        self.deep = nn.Sequential(nn.Linear(d0, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 64), nn.ReLU())
        self.out = nn.Linear(d0 + 64, 1)
    def forward(self, c, x):
        x0 = torch.cat([e(c[:, k]) for k, e in enumerate(self.embs)] + [x], 1)
        xl = x0
        for lin in self.cross: xl = x0 * lin(xl) + xl
        return self.out(torch.cat([xl, self.deep(x0)], 1)).squeeze(-1)

model = DCN()
opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=3e-5)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
f = open(os.path.join(LOG_DIR, "dcn", "history.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "loss", "val_loss", "val_auc", "lr"])
best, best_state, bad = 1e9, None, 0
for ep in range(20):
    model.train(); perm = torch.randperm(ntr); tl = []
    for b in perm.split(256):
        loss = F.binary_cross_entropy_with_logits(model(Xc[b], Xn[b]), Y[b]); opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        lv = model(Xc[ntr:nva], Xn[ntr:nva]); vl = F.binary_cross_entropy_with_logits(lv, Y[ntr:nva]).item()
    auc = roc_auc_score(y[ntr:nva], lv.numpy())
    lr = opt.param_groups[0]["lr"]; plateau.step(vl)
    w.writerow([ep, round(float(np.mean(tl)), 5), round(vl, 5), round(float(auc), 5), lr])
    print(f"epoch {ep} loss {np.mean(tl):.4f} val_loss {vl:.4f} val_auc {auc:.4f} lr {lr:.2e}")
    if vl < best - 1e-4: best, best_state, bad = vl, {k: v.clone() for k, v in model.state_dict().items()}, 0
    else:
        bad += 1
        if bad >= 2: print("early stopping"); break
f.close()
model.load_state_dict(best_state); model.eval()
with torch.no_grad():
    lt = model(Xc[nva:], Xn[nva:]); tl_ = F.binary_cross_entropy_with_logits(lt, Y[nva:]).item()
    lv = model(Xc[ntr:nva], Xn[ntr:nva]); vl = F.binary_cross_entropy_with_logits(lv, Y[ntr:nva]).item()
    ltr = model(Xc[:ntr], Xn[:ntr]); trl = F.binary_cross_entropy_with_logits(ltr, Y[:ntr]).item()
bayes_auc = roc_auc_score(y[nva:], logit[nva:])
print(f"oracle (true logit) test AUC {bayes_auc:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_auc": round(float(roc_auc_score(y[ntr:nva], lv.numpy())), 4),
      "test_auc": round(float(roc_auc_score(y[nva:], lt.numpy())), 4), "oracle_test_auc": round(float(bayes_auc), 4), "oracle_val_auc": round(float(roc_auc_score(y[ntr:nva], logit[ntr:nva])), 4),
      "train_loss": round(trl, 4), "base_rate": round(float(y.mean()), 4)}))
