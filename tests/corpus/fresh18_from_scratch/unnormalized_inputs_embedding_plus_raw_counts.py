"""From-scratch tabular model: a hand-written embedding lookup C[store_id] concatenated with numeric
columns, a 2-layer MLP of plain tensors, hand-written softmax-CE, mini-batch Adam-free SGD.
Task (synthetic): predict whether a store-day is a 'high sales' day.
Planted: the numeric columns (year ~2000-2020, floor area ~50-5000 m2, footfall ~0-40000) are fed
as raw floats; the embedding part is fine. Control: the numeric columns are standardised with
train-set mean/std."""
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, dead_units, high_bias
# forbid: *
# evidence: control (same loop, numeric columns standardised) val_acc 0.906, val_loss 0.230; planted (raw year/area/footfall, stds 6/1240/8327, means up to 12141) sits at the majority rate val_acc 0.542 = chance 0.542, val_loss 0.690 from epoch 0 on; probe: first-layer pre-activation std 2.3e9, 100% of hidden ReLUs never active, max abs W1 1.2e6 (vs 1.19, 0%, 2.2 in control)
# control: --control
import os, sys, json, random, tempfile
import numpy as np, torch
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

rng = np.random.default_rng(0)
N, S = 4000, 40
store = rng.integers(0, S, N)
store_effect = rng.normal(0, 1.0, S)
year = rng.integers(2000, 2021, N).astype(np.float64)
area = np.exp(rng.uniform(np.log(50), np.log(5000), N))
foot = rng.gamma(2.0, 6000.0, N)
score = store_effect[store] + 0.15 * (year - 2010) + 0.8 * np.log(area / 500) + 1.2 * np.tanh((foot - 12000) / 6000)
label = (score + rng.normal(0, 0.5, N) > 0).astype(np.int64)
num = np.stack([year, area, foot], 1)
tr, va = np.arange(0, 3000), np.arange(3000, N)
if CONTROL:
    m, s = num[tr].mean(0), num[tr].std(0)
    num = (num - m) / s
num = torch.tensor(num, dtype=torch.float32)
store_t = torch.tensor(store); y = torch.tensor(label)
print(f"numeric column means {num[tr].mean(0).tolist()} stds {num[tr].std(0).tolist()}")

C = (torch.randn(S, 4) * 0.5).requires_grad_()
W1 = (torch.randn(7, 64) * (2 / 7) ** 0.5).requires_grad_(); b1 = torch.zeros(64, requires_grad=True)
W2 = (torch.randn(64, 2) * (1 / 64) ** 0.5).requires_grad_(); b2 = torch.zeros(2, requires_grad=True)
params = [C, W1, b1, W2, b2]

def forward(idx):
    x = torch.cat([C[store_t[idx]], num[idx]], 1)
    return torch.relu(x @ W1 + b1) @ W2 + b2

def ce(z, t):
    return -(torch.log_softmax(z, 1)[torch.arange(len(t)), t]).mean()

lr, bs = 0.05, 64
tr_t, va_t = torch.tensor(tr), torch.tensor(va)
for epoch in range(25):
    perm = tr_t[torch.randperm(len(tr_t))]
    for i in range(0, len(perm), bs):
        idx = perm[i:i + bs]
        loss = ce(forward(idx), y[idx])
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad; p.grad.zero_()
    with torch.no_grad():
        zv = forward(va_t); vl = ce(zv, y[va_t]).item(); vacc = (zv.argmax(1) == y[va_t]).float().mean().item()
    if epoch % 5 == 0 or epoch in (1, 24):
        print(f"epoch {epoch} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {vacc:.4f}")
with torch.no_grad():
    tl = ce(forward(tr_t), y[tr_t]).item()
    h = torch.relu(torch.cat([C[store_t[tr_t]], num[tr_t]], 1) @ W1 + b1)
    dead = ((h > 0).sum(0) == 0).float().mean().item()
print(f"first-layer pre-activation std on train {(torch.cat([C[store_t[tr_t]], num[tr_t]], 1) @ W1 + b1).std().item():.3g}; hidden units never active: {dead:.2f}; |W1| max {W1.abs().max().item():.3g}")
maj = max(label[va].mean(), 1 - label[va].mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": vacc, "train_loss": tl, "chance_acc": float(maj)}))
