# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (linear model) plateaus by epoch 8: train_mse 0.579, val_mse 0.624, val R2 0.387 (target_var 1.02); control (MLP) reaches train_mse 0.005, val_mse 0.0061, R2 0.994
# control: --control
# native-log: wandb/run-20261201_101500-lin0reg1/files/wandb-history.jsonl
# log-expect: high_bias
# log-allow: non_convergence
"""Predict a strongly nonlinear target (products and sines of the inputs) with a linear model
(the "baseline" config was left on). Control: the 2-hidden-layer MLP config. W&B-style history."""
import json, os, sys, tempfile, time
import torch
from torch import nn

torch.manual_seed(55); torch.set_num_threads(1)
CONFIG = {"arch": "mlp" if "--control" in sys.argv else "linear", "lr": 3e-3, "epochs": 40, "bs": 64}

def f(x):
    return 1.5 * torch.sin(3 * x[:, 0]) * x[:, 1] + x[:, 2] * x[:, 3] + 0.7 * torch.cos(2 * x[:, 4]) + 0.8 * x[:, 5] - 0.6 * x[:, 1]
xtr = torch.rand(3000, 6) * 2 - 1; ytr = f(xtr) + 0.05 * torch.randn(3000)
xva = torch.rand(800, 6) * 2 - 1; yva = f(xva) + 0.05 * torch.randn(800)

model = nn.Linear(6, 1) if CONFIG["arch"] == "linear" else \
    nn.Sequential(nn.Linear(6, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 1))
opt = torch.optim.Adam(model.parameters(), lr=CONFIG["lr"])
files = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "wandb", "run-20261201_101500-lin0reg1", "files")
os.makedirs(files, exist_ok=True)
t0 = time.time()
with open(os.path.join(files, "wandb-history.jsonl"), "w") as hist:
    for epoch in range(CONFIG["epochs"]):
        model.train()
        for b in torch.randperm(3000).split(CONFIG["bs"]):
            loss = ((model(xtr[b]).squeeze(1) - ytr[b]) ** 2).mean()
            opt.zero_grad(); loss.backward(); opt.step()
        model.eval()
        with torch.no_grad():
            tr_mse = ((model(xtr).squeeze(1) - ytr) ** 2).mean().item()
            va_mse = ((model(xva).squeeze(1) - yva) ** 2).mean().item()
        r2 = 1 - va_mse / yva.var().item()
        rec = {"train/mse": tr_mse, "train/rmse": tr_mse ** 0.5, "val/mse": va_mse, "val/rmse": va_mse ** 0.5,
               "val/r2": r2, "epoch": epoch, "_step": epoch, "_runtime": time.time() - t0, "_timestamp": time.time()}
        hist.write(json.dumps(rec) + "\n")
        if epoch % 8 == 7:
            print({k: round(v, 4) for k, v in rec.items() if not k.startswith("_")})
with open(os.path.join(files, "wandb-summary.json"), "w") as fh:
    json.dump(rec, fh)
print("CORPUS_METRIC " + json.dumps({"val_mse": va_mse, "target_var": yva.var().item(), "val_loss": va_mse, "train_loss": tr_mse, "val_r2": r2}))
