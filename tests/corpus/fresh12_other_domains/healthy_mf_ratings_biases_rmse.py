"""Explicit-feedback matrix factorisation (user/item embeddings + user/item biases +
global mean) on synthetic 1-5 star ratings generated from a rank-6 taste model
with noise sd 0.5. MSE loss, plain Adam with an L2 penalty on the
looked-up embeddings, minibatches of 256 ratings. Logs per-epoch RMSE to a JSON-lines file."""
# expect:
# allow: high_variance
# forbid: *
# evidence: val RMSE 0.598 vs global-mean baseline 1.158 (rating noise sd 0.5 before clipping); train RMSE 0.43; val still improving at the end. allow high_variance: with 20k ratings for 700 users+items a val-train gap of 0.17 RMSE is inherent and the train RMSE is at the noise level, a borderline case
# native-log: mf_history.jsonl
# log-expect:
# log-allow: high_variance
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(0)

NU, NI, R, NOISE = 400, 300, 6, 0.5
U = rng.normal(0, 1, (NU, R)) / np.sqrt(R) * 1.2; V = rng.normal(0, 1, (NI, R))
bu, bi = rng.normal(0, 0.3, NU), rng.normal(0, 0.4, NI)
n_obs = 24000
u = rng.integers(0, NU, n_obs); i = rng.integers(0, NI, n_obs)
r = np.clip(3.4 + bu[u] + bi[i] + (U[u] * V[i]).sum(1) + rng.normal(0, NOISE, n_obs), 1, 5)
perm = rng.permutation(n_obs); tr, va = perm[:20000], perm[20000:]
T = lambda a: torch.tensor(a)
u_tr, i_tr, r_tr = T(u[tr]), T(i[tr]), T(r[tr]).float()
u_va, i_va, r_va = T(u[va]), T(i[va]), T(r[va]).float()


class MF(nn.Module):
    def __init__(self, dim=8):
        super().__init__()
        self.P, self.Q = nn.Embedding(NU, dim), nn.Embedding(NI, dim)
        self.bu, self.bi = nn.Embedding(NU, 1), nn.Embedding(NI, 1)
        for e in (self.P, self.Q):
            nn.init.normal_(e.weight, 0, 0.1)
        nn.init.zeros_(self.bu.weight); nn.init.zeros_(self.bi.weight)
        self.mu = nn.Parameter(torch.tensor(float(r_tr.mean())))

    def forward(self, u, i):
        return self.mu + self.bu(u).squeeze(-1) + self.bi(i).squeeze(-1) + (self.P(u) * self.Q(i)).sum(-1)


model = MF()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
LAM = 0.05          # L2 on the embeddings actually looked up in the batch (classic MF regulariser)
log = open(os.path.join(LOG_DIR, "mf_history.jsonl"), "w")
for epoch in range(24):
    p = torch.randperm(len(r_tr)); tot = 0.0
    for k in range(0, len(p), 256):
        idx = p[k:k + 256]
        mse = ((model(u_tr[idx], i_tr[idx]) - r_tr[idx]) ** 2).mean()
        reg = LAM * (model.P(u_tr[idx]).pow(2).sum(-1) + model.Q(i_tr[idx]).pow(2).sum(-1)).mean()
        loss = mse + reg
        opt.zero_grad(); loss.backward(); opt.step()
        tot += mse.item() * len(idx)
    with torch.no_grad():
        vrmse = ((model(u_va, i_va) - r_va) ** 2).mean().sqrt().item()
    trmse = (tot / len(r_tr)) ** 0.5
    log.write(json.dumps({"epoch": epoch, "train_rmse": round(trmse, 4), "val_rmse": round(vrmse, 4)}) + "\n")
    if epoch % 4 == 0 or epoch == 23:
        print(f"epoch {epoch:2d} train_rmse {trmse:.4f} val_rmse {vrmse:.4f}")
log.close()
with torch.no_grad():
    trmse = ((model(u_tr, i_tr) - r_tr) ** 2).mean().sqrt().item()
mean_rmse = (r_va - r_tr.mean()).pow(2).mean().sqrt().item()
print("CORPUS_METRIC " + json.dumps({"val_rmse": round(vrmse, 4), "train_rmse": round(trmse, 4), "noise_sd_bayes_rmse": NOISE,
                                      "global_mean_rmse": round(mean_rmse, 4), "val_mse": round(vrmse ** 2, 4), "target_var": round(r_va.var().item(), 4)}))
