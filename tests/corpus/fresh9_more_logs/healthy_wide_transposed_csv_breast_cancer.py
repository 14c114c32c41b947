# expect:
# allow:
# forbid: *
# evidence: MLP (dropout, wd) on sklearn breast cancer, 40 epochs Adam + cosine: train_loss 0.056, val_loss 0.071, val_acc 0.971 (majority 0.63)
# native-log: report/epochs_as_columns.csv
# log-expect:
# log-allow:
# Wide / transposed log: first column is the metric name, then one column per epoch
# (row "epoch" holds the epoch numbers), e.g.
#   epoch,1,2,3,...
#   loss/train,0.61,0.32,...
import json
import os
import tempfile

import torch
from torch import nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def run():
    torch.set_num_threads(1)
    torch.manual_seed(31)
    ds = load_breast_cancer()
    Xa, Xb, ya, yb = train_test_split(ds.data, ds.target, test_size=0.3, random_state=31, stratify=ds.target)
    sc = StandardScaler().fit(Xa)
    Xa, Xb = [torch.tensor(sc.transform(v), dtype=torch.float32) for v in (Xa, Xb)]
    ya, yb = torch.tensor(ya, dtype=torch.float32), torch.tensor(yb, dtype=torch.float32)

    clf = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1))
    opt = torch.optim.Adam(clf.parameters(), lr=1e-3, weight_decay=1e-4)
    bce = nn.BCEWithLogitsLoss()
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    table = {"epoch": [], "loss/train": [], "loss/val": [], "accuracy/val": [], "lr": []}
    for ep in range(1, 41):
        clf.train()
        for idx in torch.randperm(len(Xa)).split(16):
            loss = bce(clf(Xa[idx]).squeeze(-1), ya[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        lr_used = sched.get_last_lr()[0]
        sched.step()
        clf.eval()
        with torch.no_grad():
            tr = bce(clf(Xa).squeeze(-1), ya).item()
            z = clf(Xb).squeeze(-1)
            vl = bce(z, yb).item()
            acc = ((z > 0).float() == yb).float().mean().item()
        for k, v in zip(table, (ep, tr, vl, acc, lr_used)):
            table[k].append(v)
        if ep % 10 == 0:
            print(f"{ep=} {tr=:.4f} {vl=:.4f} {acc=:.4f}")
    return table


if __name__ == "__main__":
    t = run()
    d = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "report")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "epochs_as_columns.csv"), "w") as f:
        for k, vals in t.items():
            f.write(",".join([k] + [str(v) if k == "epoch" else f"{v:.5g}" for v in vals]) + "\n")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(t["loss/val"][-1], 4), "val_acc": round(t["accuracy/val"][-1], 4),
                                         "train_loss": round(t["loss/train"][-1], 4), "chance_acc": 0.6257}))
