# Telco churn classifier; a W&B-style offline run directory is written by hand
# (wandb-history.jsonl with _step, wandb-summary.json, config.yaml).
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: Adam lr=1e-6 (typo for 1e-3): after 25 epochs val_acc 0.391, val_loss 0.696 (majority 0.67, Bayes acc 0.874), train_loss 0.701 ~ ln2; --control lr=1e-3 val_acc 0.856, val_loss 0.418
# control: --control
# native-log: wandb/offline-run/files/wandb-history.jsonl
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
import os, json, time, argparse, tempfile
import numpy as np
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

config = dict(seed=3, epochs=25, batch_size=64, hidden=64, label_smoothing=0.1,
              lr=1e-3 if args.control else 1e-6)   # typo'd sweep value: 1e-6 instead of 1e-3
torch.set_num_threads(1)
torch.manual_seed(config["seed"]); np.random.seed(config["seed"])
rng = np.random.default_rng(config["seed"])

# ---- synthetic churn table
n = 5000
tenure = rng.integers(0, 72, n)
monthly = rng.normal(70, 25, n).clip(18, 120)
contract = rng.choice(3, n, p=[0.55, 0.25, 0.2])            # month-to-month / 1y / 2y
support_calls = rng.poisson(1.5, n)
fiber = rng.random(n) < 0.45
paperless = rng.random(n) < 0.6
z = (1.2 - 0.06 * tenure + 0.02 * (monthly - 70) - 1.3 * (contract == 1) - 2.2 * (contract == 2)
     + 0.45 * support_calls + 0.6 * fiber + 0.3 * paperless + 0.0008 * tenure ** 2)
churn = (rng.random(n) < 1 / (1 + np.exp(-2.5 * z))).astype(np.int64)
X = np.column_stack([tenure, monthly, support_calls, fiber, paperless, contract == 0, contract == 1, contract == 2]).astype(np.float32)
tr, va = np.arange(4000), np.arange(4000, n)
X = (X - X[tr].mean(0)) / X[tr].std(0)
Xtr, ytr, Xva, yva = torch.tensor(X[tr]), torch.tensor(churn[tr]), torch.tensor(X[va]), torch.tensor(churn[va])
pz = 1 / (1 + np.exp(-2.5 * z[va]))
bayes_acc = float(np.mean(np.maximum(pz, 1 - pz)))

# ---- "wandb" offline run
base = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
files = os.path.join(base, "wandb", "offline-run", "files")
os.makedirs(files, exist_ok=True)
with open(os.path.join(files, "config.yaml"), "w") as f:
    for k, v in config.items():
        f.write(f"{k}:\n  value: {v}\n")
hist = open(os.path.join(files, "wandb-history.jsonl"), "w")
t_start = time.time()


def wandb_log(d, step):
    d = dict(d, _step=step, _runtime=round(time.time() - t_start, 3), _timestamp=time.time())
    hist.write(json.dumps(d) + "\n"); hist.flush()


model = nn.Sequential(nn.Linear(8, config["hidden"]), nn.ReLU(), nn.Linear(config["hidden"], config["hidden"]), nn.ReLU(), nn.Linear(config["hidden"], 2))
opt = torch.optim.Adam(model.parameters(), lr=config["lr"])
crit = nn.CrossEntropyLoss(label_smoothing=config["label_smoothing"])
step = 0
for epoch in range(config["epochs"]):
    model.train()
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), config["batch_size"]):
        b = perm[i:i + config["batch_size"]]
        out = model(Xtr[b]); loss = crit(out, ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        if step % 10 == 0:
            wandb_log({"train/loss": loss.item(), "train/acc": (out.argmax(1) == ytr[b]).float().mean().item(), "lr": opt.param_groups[0]["lr"], "epoch": epoch}, step)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = crit(out, yva).item(); vacc = (out.argmax(1) == yva).float().mean().item()
    wandb_log({"val/loss": vl, "val/acc": vacc, "epoch": epoch}, step)
    print(f"Epoch {epoch}: val_loss={vl:.4f} val_acc={vacc:.4f}")
hist.close()
with torch.no_grad():
    out = model(Xtr); tl = crit(out, ytr).item(); tacc = (out.argmax(1) == ytr).float().mean().item()
summary = {"val/loss": vl, "val/acc": vacc, "train/loss": tl, "_step": step}
json.dump(summary, open(os.path.join(files, "wandb-summary.json"), "w"))
maj = float(max(yva.float().mean().item(), 1 - yva.float().mean().item()))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "train_acc": round(tacc, 4), "bayes_acc": round(bayes_acc, 4), "majority_acc": round(maj, 4), "chance_acc": 0.5}))
