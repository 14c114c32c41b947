# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (90 rows): train_loss 1e-4, test_loss rises from 0.364 (epoch 35) to 0.495, test_acc 0.848; control (3000 rows): test_loss 0.101 (ep 84) -> 0.133, test_acc 0.953
# control: --control
# native-log: history.csv
# log-expect: overfitting
# log-allow: high_variance
# Notebook-style: 90 labelled rows, a wide MLP, 300 full-batch epochs, history kept in a list of
# dicts and dumped like pandas' DataFrame.to_csv() (unnamed index column first).
import json, os, sys, tempfile
import torch
import torch.nn as nn
torch.manual_seed(5); torch.set_num_threads(1)

N_TRAIN = 3000 if "--control" in sys.argv else 90
D = 30
w_true = torch.randn(D) * (torch.rand(D) < 0.3)   # sparse true signal
def rows(n):
    X = torch.randn(n, D)
    logit = X @ w_true + 0.1 * torch.randn(n)
    return X, (logit > 0).long()
X_train, y_train = rows(N_TRAIN)
X_test, y_test = rows(1000)

clf = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2))
opt = torch.optim.Adam(clf.parameters(), lr=1e-3)
ce = nn.CrossEntropyLoss()
history = []
for epoch in range(300):
    clf.train()
    p_tr = clf(X_train)
    loss = ce(p_tr, y_train)
    opt.zero_grad(); loss.backward(); opt.step()
    clf.eval()
    with torch.no_grad():
        p_te = clf(X_test)
        history.append({"epoch": epoch + 1,
                        "train_loss": loss.item(),
                        "test_loss": ce(p_te, y_test).item(),
                        "train_acc": (p_tr.argmax(1) == y_train).float().mean().item(),
                        "test_acc": (p_te.argmax(1) == y_test).float().mean().item()})

out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "history.csv")
cols = list(history[0])
with open(out, "w") as f:
    f.write("," + ",".join(cols) + "\n")
    for i, h in enumerate(history):
        f.write(str(i) + "," + ",".join(repr(h[c]) if isinstance(h[c], float) else str(h[c]) for c in cols) + "\n")
best = min(history, key=lambda h: h["test_loss"])
last = history[-1]
print("best epoch", best["epoch"], "test_loss", round(best["test_loss"], 4), "test_acc", round(best["test_acc"], 4))
print("last", {k: round(v, 4) for k, v in last.items()})
print("CORPUS_METRIC " + json.dumps({"val_loss": last["test_loss"], "val_acc": last["test_acc"], "train_loss": last["train_loss"], "chance_acc": 0.5}))
