# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (no early stopping, 150 full-batch epochs on 300 rows): val_loss bottoms at 0.521 (epoch 11) and climbs to 1.156 by epoch 150 while train_loss -> 0.0004 (val_acc 0.816); control (early stopping, restores epoch-11 weights): val_loss 0.521, train_loss 0.354, val_acc 0.775 (chance 0.5). Val accuracy is not hurt, the val loss (calibration) is
# control: --control
# native-log: journal_entrainement.csv
# log-expect: overfitting
# log-allow: high_variance
# French-locale CSV (';' separator, decimal comma). 300 training rows, a wide MLP and 150 full-batch
# epochs with no early stopping: the val loss bottoms out early and climbs for the whole second half.
# --control adds the early stopping (patience 8, restore best weights) the author forgot.
import argparse, json, os, tempfile, copy
import torch
import torch.nn.functional as F
from sklearn.datasets import make_classification

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
EARLY_STOP = parser.parse_args().control

torch.set_num_threads(1)
torch.manual_seed(17)
X, y = make_classification(n_samples=1300, n_features=30, n_informative=10, n_redundant=5, n_classes=2,
                           flip_y=0.08, class_sep=1.0, random_state=17)
X = torch.tensor(X, dtype=torch.float32)
y = torch.tensor(y)
Xtr, ytr, Xva, yva = X[:300], y[:300], X[300:], y[300:]
m, s = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = (Xtr - m) / s, (Xva - m) / s

net = torch.nn.Sequential(torch.nn.Linear(30, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(),
                          torch.nn.Linear(256, 2))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)

fr = lambda v: f"{v:.5f}".replace(".", ",")
path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "journal_entrainement.csv")
os.makedirs(os.path.dirname(path), exist_ok=True)
rows = ["époque;perte_entraînement;perte_validation;précision_validation"]
best, best_state, bad = float("inf"), None, 0
for epoch in range(150):
    net.train()
    loss = F.cross_entropy(net(Xtr), ytr)
    opt.zero_grad(); loss.backward(); opt.step()
    net.eval()
    with torch.no_grad():
        o = net(Xva)
        vl = F.cross_entropy(o, yva).item()
        va = (o.argmax(1) == yva).float().mean().item()
    rows.append(f"{epoch + 1};{fr(loss.item())};{fr(vl)};{fr(va)}")
    if epoch % 10 == 0:
        print(f"époque {epoch + 1}: entraînement {loss.item():.4f} validation {vl:.4f} précision {va:.3f}")
    if vl < best - 1e-4:
        best, best_state, bad = vl, copy.deepcopy(net.state_dict()), 0
    else:
        bad += 1
    if EARLY_STOP and bad >= 8:
        print(f"early stopping at epoch {epoch + 1}, best val loss {best:.4f}")
        net.load_state_dict(best_state)
        break
with open(path, "w", encoding="utf-8") as fh:
    fh.write("\n".join(rows) + "\n")

net.eval()
with torch.no_grad():
    o = net(Xva)
    vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    tl = F.cross_entropy(net(Xtr), ytr).item()
print(f"best val loss during run {best:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 5),
                                     "chance_acc": 0.5}))
