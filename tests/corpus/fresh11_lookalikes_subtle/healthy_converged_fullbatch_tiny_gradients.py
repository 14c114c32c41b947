"""Full-batch L-BFGS on a small L2-regularised MLP (breast-cancer), run to convergence.

Look-alike: the objective (BCE + L2 penalty) has a proper minimum and L-BFGS gets
there; from mid-run on the gradient norm is ~1e-5 or less and the parameters barely
move (relative update ~1e-6 and below). A monitor that flags "tiny gradients / tiny
updates / loss stopped moving" as vanishing gradients, lr-too-low or a plateau
would be fooled: the model is simply converged, and it generalises well.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.979 (majority 0.63), val_loss 0.063 (best seen 0.0625), train BCE 0.021 (L2-regularised optimum); total grad norm 0.47 at init -> 2.8e-5 at the end (per-layer 5e-6..3e-5), parameter updates exactly 0 for the last 19 outer steps (L-BFGS hit its tolerance)
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(10)
np.random.seed(10)
torch.manual_seed(10)


def main():
    X, y = load_breast_cancer(return_X_y=True)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=10, stratify=y)
    sc = StandardScaler().fit(Xtr)
    Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32)
    Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
    ytr = torch.tensor(ytr, dtype=torch.float32)
    yva = torch.tensor(yva, dtype=torch.float32)

    model = nn.Sequential(nn.Linear(30, 32), nn.Tanh(), nn.Linear(32, 16), nn.Tanh(), nn.Linear(16, 1))
    l2 = 3e-3
    opt = torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=20, history_size=20,
                            line_search_fn="strong_wolfe", tolerance_grad=1e-9, tolerance_change=1e-12)

    def objective_and_bce():
        bce = F.binary_cross_entropy_with_logits(model(Xtr).squeeze(1), ytr)
        pen = l2 * sum((p ** 2).sum() for n, p in model.named_parameters() if n.endswith("weight"))
        return bce + pen, bce

    def closure():
        opt.zero_grad()
        obj, _ = objective_and_bce()
        obj.backward()
        return obj

    obj0, _ = objective_and_bce()
    obj0.backward()
    g_init = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item()
    print(f"init objective {obj0.item():.4f} grad_norm {g_init:.3e}")
    best_val = 9.0
    for outer in range(30):
        before = [p.detach().clone() for p in model.parameters()]
        opt.step(closure)
        obj, bce = objective_and_bce()
        opt.zero_grad()
        obj.backward()
        per_layer = {n: p.grad.norm().item() for n, p in model.named_parameters() if n.endswith("weight")}
        gtot = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item()
        rel = max(((p.detach() - b).norm() / (b.norm() + 1e-12)).item() for p, b in zip(model.parameters(), before))
        if outer == 0:
            g_first = gtot
        with torch.no_grad():
            z = model(Xva).squeeze(1)
            vl = F.binary_cross_entropy_with_logits(z, yva).item()
            va = ((z > 0).float() == yva).float().mean().item()
        best_val = min(best_val, vl)
        if outer % 3 == 2 or outer == 0:
            print(f"outer {outer} objective {obj.item():.5f} train_bce {bce.item():.4f} val_loss {vl:.4f} "
                  f"val_acc {va:.4f} grad_norm {gtot:.2e} max_rel_update {rel:.2e}")
    print("final per-layer grad norms", {k: f"{v:.2e}" for k, v in per_layer.items()})
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(bce.item(), 4),
                                        "best_val_loss": round(best_val, 4), "grad_norm_init": float(f"{g_init:.3g}"),
                                        "grad_norm_after_first_step": float(f"{g_first:.3g}"),
                                        "grad_norm_end": float(f"{gtot:.3g}"),
                                        "chance_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4)}))


if __name__ == "__main__":
    main()
