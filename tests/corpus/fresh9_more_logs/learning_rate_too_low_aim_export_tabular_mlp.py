# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted Adam lr=3e-6: after 30 epochs (2250 steps) train_loss 1.33 and val_loss 1.33 still falling almost linearly from ln4=1.39, val_acc 0.55; control lr=3e-3: train_loss 0.0001, val_loss 0.020, val_acc 0.992 (chance 0.25)
# control: --control
# native-log: aim_export.json
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
# Aim-style metric export: a list of series {"name", "context", "steps", "epochs", "values", "timestamps"}
# as produced by iterating repo.query_metrics(...) and dumping each series. The config says
# lr=3e-6 (a fine-tuning value pasted into a from-scratch run); --control uses 3e-3.
import argparse, json, os, tempfile, time
import torch
from torch import nn
from sklearn.datasets import make_classification

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
CONFIG = {"lr": 3e-3 if parser.parse_args().control else 3e-6, "epochs": 30, "batch_size": 32, "hidden": 64}

torch.set_num_threads(1)
torch.manual_seed(101)
X, y = make_classification(n_samples=3000, n_features=16, n_informative=6, n_classes=4, n_clusters_per_class=1,
                           class_sep=2.5, flip_y=0.0, random_state=101)
X = (X - X.mean(0)) / X.std(0)
X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
x_tr, y_tr, x_te, y_te = X[:2400], y[:2400], X[2400:], y[2400:]

series = {}


def track(name, value, step, epoch, subset):
    key = (name, subset)
    if key not in series:
        series[key] = {"name": name, "context": {"subset": subset}, "steps": [], "epochs": [], "values": [],
                       "timestamps": []}
    s = series[key]
    s["steps"].append(step); s["epochs"].append(epoch); s["values"].append(value); s["timestamps"].append(time.time())


net = nn.Sequential(nn.Linear(16, CONFIG["hidden"]), nn.ReLU(), nn.Linear(CONFIG["hidden"], CONFIG["hidden"]), nn.ReLU(),
                    nn.Linear(CONFIG["hidden"], 4))
optim = torch.optim.Adam(net.parameters(), lr=CONFIG["lr"])
step = 0
for epoch in range(CONFIG["epochs"]):
    net.train()
    for b in torch.randperm(len(x_tr)).split(CONFIG["batch_size"]):
        loss = nn.functional.cross_entropy(net(x_tr[b]), y_tr[b])
        optim.zero_grad(); loss.backward(); optim.step(); step += 1
        if step % 25 == 0:
            track("loss", loss.item(), step, epoch, "train")
            track("learning_rate", optim.param_groups[0]["lr"], step, epoch, "train")
    net.eval()
    with torch.no_grad():
        logits = net(x_te)
        vl = nn.functional.cross_entropy(logits, y_te).item()
        va = (logits.argmax(1) == y_te).float().mean().item()
    track("loss", vl, step, epoch, "val"); track("accuracy", va, step, epoch, "val")
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1}: val loss {vl:.4f} acc {va:.3f}")

out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "aim_export.json"), "w") as f:
    json.dump({"run": {"hash": "3f9c1d7e0a4b", "experiment": "tabular-4cls", "hparams": CONFIG},
               "metrics": list(series.values())}, f)
with torch.no_grad():
    tl = nn.functional.cross_entropy(net(x_tr), y_tr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.25}))
