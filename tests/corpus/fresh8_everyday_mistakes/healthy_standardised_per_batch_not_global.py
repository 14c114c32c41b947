# expect:
# allow:
# forbid: *
# evidence: healthy/harmless mistake: per-batch z-scoring (bs 128/250); val_acc 0.959 (majority 0.501), val_loss 0.104, train_loss 0.124; with global train statistics the same model scores 0.970
# Inputs are in raw units and get z-scored with the mean/std of *each batch* (train batches of 128, and
# the validation set in batches of 250) instead of the training-set statistics. With shuffled,
# reasonably large batches those statistics barely move, so this textbook mistake does little harm.
import json
import torch
import torch.nn as nn

torch.manual_seed(15)
torch.set_num_threads(1)

def synth(n, g):
    age = 20 + 50 * torch.rand(n, generator=g)
    income = 2e4 + 8e4 * torch.rand(n, generator=g)
    visits = torch.poisson(torch.full((n,), 4.0), generator=g)
    score = 600 + 100 * torch.randn(n, generator=g)
    x = torch.stack([age, income, visits, score], 1)
    z = (x - torch.tensor([45., 6e4, 4., 600.])) / torch.tensor([14., 2.3e4, 2., 100.])
    logit = 1.5 * z[:, 0] - 2 * z[:, 1] * z[:, 3] + z[:, 2] ** 2 - 1
    y = (logit + 0.3 * torch.randn(n, generator=g) > 0).long()
    return x, y

def batch_norm_inputs(xb):
    return (xb - xb.mean(0)) / (xb.std(0) + 1e-6)

g = torch.Generator().manual_seed(150)
xtr, ytr = synth(5000, g); xva, yva = synth(1000, g)
model = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
lossf = nn.CrossEntropyLoss()

def validate():
    model.eval(); tot = 0.0; hit = 0
    with torch.no_grad():
        for i in range(0, 1000, 250):
            xb, yb = batch_norm_inputs(xva[i:i + 250]), yva[i:i + 250]
            out = model(xb); tot += lossf(out, yb).item() * len(yb); hit += (out.argmax(1) == yb).sum().item()
    return tot / 1000, hit / 1000

for epoch in range(25):
    model.train(); perm = torch.randperm(5000); s = 0.0
    for i in range(0, 5000, 128):
        j = perm[i:i + 128]
        loss = lossf(model(batch_norm_inputs(xtr[j])), ytr[j])
        opt.zero_grad(); loss.backward(); opt.step(); s += loss.item() * len(j)
    vl, va = validate()
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1} train {s / 5000:.4f} val {vl:.4f} acc {va:.3f}")

model.eval()
with torch.no_grad():
    tl = sum(lossf(model(batch_norm_inputs(xtr[i:i + 128])), ytr[i:i + 128]).item() * len(ytr[i:i + 128]) for i in range(0, 5000, 128)) / 5000
    mu, sd = xtr.mean(0), xtr.std(0)
    acc_global = (model((xva - mu) / sd).argmax(1) == yva).float().mean().item()
print(f"val acc with per-batch stats {va:.3f}, with global train stats {acc_global:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": round(yva.bincount().max().item() / 1000, 3)}))
