# expect:
# allow:
# forbid: *
# evidence: val_mse 0.042 (clean targets standardised, variance 1.0; returning the corrupted input scores 0.368)
"""Denoising autoencoder for 48-channel sensor frames that live on a 4-D nonlinear manifold.
Inputs are corrupted with Gaussian noise + random channel dropout; the target is the clean
frame. Adam + ReduceLROnPlateau on the validation loss, early stopping with patience."""
import copy
import json
import torch
import torch.nn as nn

torch.manual_seed(11)
torch.set_num_threads(1)

D, Z = 48, 4
gen = nn.Sequential(nn.Linear(Z, 32), nn.Tanh(), nn.Linear(32, D))
with torch.no_grad():
    def clean(n):
        return gen(torch.randn(n, Z))
    Xtr, Xva = clean(4000), clean(1000)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd


def corrupt(x):
    keep = (torch.rand_like(x) > 0.15).float()
    return (x + 0.5 * torch.randn_like(x)) * keep


torch.manual_seed(12)
Xva_noisy = corrupt(Xva)


class DAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(D, 128), nn.GELU(), nn.Linear(128, 16))
        self.decoder = nn.Sequential(nn.GELU(), nn.Linear(16, 128), nn.GELU(), nn.Linear(128, D))

    def forward(self, x):
        return self.decoder(self.encoder(x))


model = DAE()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.3, patience=2)
mse = nn.MSELoss()
best, best_state, bad = float("inf"), None, 0

for epoch in range(25):
    model.train()
    perm = torch.randperm(len(Xtr))
    acc = 0.0
    for i in range(0, len(perm), 128):
        xb = Xtr[perm[i:i + 128]]
        loss = mse(model(corrupt(xb)), xb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        acc += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        vloss = mse(model(Xva_noisy), Xva).item()
    plateau.step(vloss)
    print(f"epoch {epoch:2d} train_mse {acc/len(Xtr):.4f} val_mse {vloss:.4f} lr {opt.param_groups[0]['lr']:.1e}")
    if vloss < best - 1e-4:
        best, best_state, bad = vloss, copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
        if bad >= 5:
            print("early stopping")
            break

model.load_state_dict(best_state)
with torch.no_grad():
    vloss = mse(model(Xva_noisy), Xva).item()
    noisy_baseline = mse(Xva_noisy, Xva).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vloss, 4), "val_loss": round(vloss, 4), "train_loss": round(acc / len(Xtr), 4),
                                     "target_var": 1.0, "identity_baseline_mse": round(noisy_baseline, 4)}))
