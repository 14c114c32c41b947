"""Multi-label tagging of sklearn digits (tags: even, >=5, prime, has_loop,
symmetric-ish, round). MLP with ReLU hidden layers. Planted: the model already
ends in nn.Sigmoid() and the loss is BCEWithLogitsLoss, so a second sigmoid is
applied: the loss can only be lowered by pushing the inner sigmoid to 0/1, which
saturates it (and its gradient vanishes). --control drops the inner Sigmoid."""
# expect: saturated_activations
# allow: non_convergence, vanishing_gradients, high_bias, dead_units
# forbid: *
# evidence: planted: 87% of inner-sigmoid outputs are within 0.01 of 0 or 1 by epoch 30, val_loss stuck at 0.545 (train 0.543), every val prob >= 0.5 so f1_macro 0.670 (mAP 0.968); control (no inner Sigmoid): val_loss 0.044, f1_macro 0.983, mAP 0.999. Both have ~20-30% never-active ReLUs in the 32-unit layer, hence dead_units allowed
# control: --control
import sys, json, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score, average_precision_score

torch.manual_seed(6); np.random.seed(6); random.seed(6)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
tags = np.stack([y % 2 == 0, y >= 5, np.isin(y, [2, 3, 5, 7]), np.isin(y, [0, 6, 8, 9]),
                 np.isin(y, [0, 1, 8]), np.isin(y, [0, 3, 6, 8, 9])], 1).astype(np.float32)
Xtr, Xva, Ttr, Tva = train_test_split(X.astype(np.float32), tags, test_size=0.3, random_state=0)
Xtr, Xva, Ttr, Tva = map(torch.tensor, (Xtr, Xva, Ttr, Tva))

layers = [nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 6)]
if not CONTROL:
    layers.append(nn.Sigmoid())          # BUG: BCEWithLogitsLoss applies sigmoid again
model = nn.Sequential(*layers)
crit = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
acts = {}
model[-1].register_forward_hook(lambda m, i, o: acts.__setitem__("out", o.detach()))
for ep in range(30):
    model.train(); perm = torch.randperm(len(Xtr)); tl = []
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = crit(model(Xtr[idx]), Ttr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    if ep % 5 == 4 or ep == 29:
        model.eval()
        with torch.no_grad():
            out = model(Xva); vl = crit(out, Tva).item()
            prob = torch.sigmoid(out)                      # what the pipeline treats as P(tag)
            pred = (prob > 0.5).numpy()
            f1_macro = f1_score(Tva.numpy(), pred, average="macro", zero_division=0)
            f1_micro = f1_score(Tva.numpy(), pred, average="micro", zero_division=0)
            mAP = average_precision_score(Tva.numpy(), prob.numpy(), average="macro")
            h = model[:4](Xva)                             # last hidden ReLU layer
            dead = (h.max(0).values <= 0).float().mean().item()
            o = acts["out"]
            sat_out = ((o < 0.01) | (o > 0.99)).float().mean().item() if not CONTROL else float("nan")
        print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} f1_macro {f1_macro:.3f} f1_micro {f1_micro:.3f} mAP {mAP:.3f} "
              f"frac_dead_relu {dead:.3f} frac_inner_sigmoid_sat {sat_out:.3f} min_val_prob {prob.min():.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "f1_macro": round(f1_macro, 4), "f1_micro": round(f1_micro, 4),
      "mAP": round(mAP, 4), "train_loss": round(float(np.mean(tl)), 4), "frac_inner_sigmoid_saturated": None if CONTROL else round(sat_out, 4),
      "frac_dead_relu": round(dead, 4)}))
