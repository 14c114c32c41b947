"""Deep (10 hidden layers) MLP whose activation is picked from a YAML-like config by
name: getattr(nn, cfg["activation"])(). The config says "Sigmoid" - the author
meant "SiLU" (autocomplete picked the neighbour). Weights get Kaiming init, which
suits SiLU; with ten stacked sigmoids (derivative <= 0.25) each layer shrinks the
backward signal ~3x, so the gradients reaching the first layer are ~1e-5 of those
at the top and the network sits at chance for the first ~6 epochs.
--control sets activation to "SiLU" (nothing else changes).
"""
# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_low
# forbid: *
# evidence: control val_acc 0.940 / val_loss 0.317 (first/last layer grad-norm ratio 0.62 at init); planted val_acc 0.36 / val_loss 1.82 after the same 12 epochs, at chance (loss 2.30-2.31) for epochs 0-5; planted weight-grad norms fall monotonically from 0.96 (last layer) to 1.1e-5 (first layer) at step 0 and 6.5e-5 ratio at step 100 (printed)
# control: --control
import argparse
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import yaml
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONFIG = """
model:
  depth: 10
  width: 64
  activation: Sigmoid   # meant SiLU
train:
  lr: 0.001
  epochs: 12
  batch_size: 64
"""


def build(cfg, d_in, n_out):
    act = getattr(nn, cfg["activation"])
    layers, d = [], d_in
    for _ in range(cfg["depth"]):
        layers += [nn.Linear(d, cfg["width"]), act()]
        d = cfg["width"]
    layers.append(nn.Linear(d, n_out))
    model = nn.Sequential(*layers)
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return model


def layer_grad_norms(model):
    return [m.weight.grad.norm().item() for m in model if isinstance(m, nn.Linear)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    cfg = yaml.safe_load(CONFIG)
    if args.control:
        cfg["model"]["activation"] = "SiLU"
    torch.set_num_threads(1)
    random.seed(29)
    np.random.seed(29)
    torch.manual_seed(29)
    X, y = load_digits(return_X_y=True)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=29, stratify=y)
    sc = StandardScaler().fit(Xtr)
    Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32)
    Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)
    model = build(cfg["model"], 64, 10)
    tc = cfg["train"]
    opt = torch.optim.Adam(model.parameters(), lr=tc["lr"])
    step = 0
    for ep in range(tc["epochs"]):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot = 0.0
        for i in range(0, len(perm), tc["batch_size"]):
            idx = perm[i:i + tc["batch_size"]]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            if step in (0, 100) or (ep == tc["epochs"] - 1 and i == 0):
                g = layer_grad_norms(model)
                print(f"step {step} weight-grad norms, first -> last layer: " + " ".join(f"{v:.1e}" for v in g)
                      + f"  (first/last = {g[0] / g[-1]:.1e})")
                if step == 0:
                    ratio0 = g[0] / g[-1]
            opt.step()
            tot += loss.item() * len(idx)
            step += 1
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vl = F.cross_entropy(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        if ep % 3 == 2:
            print(f"epoch {ep} train_loss {tot / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4),
                                        "chance_acc": 0.1, "init_grad_ratio_first_over_last": float(f"{ratio0:.3g}")}))


if __name__ == "__main__":
    main()
