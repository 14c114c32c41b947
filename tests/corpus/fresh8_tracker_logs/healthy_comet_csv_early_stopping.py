# expect:
# allow:
# forbid: *
# evidence: held-out test acc 0.900 (chance 0.51), test loss 0.237 with restored best weights; early stop at epoch 20 (best valLoss 0.252 at 14), trainLoss 0.12
# native-log: comet_metrics.csv
# log-expect:
# log-allow:
"""Binary classifier on noisy tabular data with early stopping (patience 6 on valLoss, best weights
restored). Metrics go through a tiny Comet-like experiment object and are exported the way Comet's
metric download looks: metricName,metricValue,timestamp,step,epoch with camelCase names."""
import copy, csv, json, os, tempfile, time
import torch
import torch.nn as nn

torch.manual_seed(2718)
torch.set_num_threads(1)


class Experiment:
    def __init__(self):
        self.rows = []
    def log_metric(self, name, value, step=None, epoch=None):
        self.rows.append({"metricName": name, "metricValue": value, "timestamp": int(time.time() * 1000),
                          "step": step, "epoch": epoch})
    def export(self, path):
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["metricName", "metricValue", "timestamp", "step", "epoch"])
            w.writeheader(); w.writerows(self.rows)


def dataset(n):
    x = torch.randn(n, 10)
    score = x[:, 0] * x[:, 1] + torch.sin(2 * x[:, 2]) + 0.8 * x[:, 3] - 0.5 * x[:, 4] ** 2 + 0.5
    y = (score + 0.3 * torch.randn(n) > 0).float()
    return x, y


trainX, trainY = dataset(3000)
valX, valY = dataset(1000)
testX, testY = dataset(1000)

model = nn.Sequential(nn.Linear(10, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.BCEWithLogitsLoss()
exp = Experiment()
bestLoss, bestState, patience, bad = float("inf"), None, 6, 0
step = 0
for epoch in range(1, 101):
    model.train()
    running = 0.0
    for idx in torch.randperm(len(trainX)).split(32):
        loss = criterion(model(trainX[idx]).squeeze(-1), trainY[idx])
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        running += loss.item() * len(idx); step += 1
    model.eval()
    with torch.no_grad():
        logits = model(valX).squeeze(-1)
        valLoss = criterion(logits, valY).item()
        valAcc = ((logits > 0).float() == valY).float().mean().item()
    trainLoss = running / len(trainX)
    exp.log_metric("trainLoss", trainLoss, step, epoch)
    exp.log_metric("valLoss", valLoss, step, epoch)
    exp.log_metric("valAcc", valAcc, step, epoch)
    print(f"epoch {epoch} trainLoss {trainLoss:.4f} valLoss {valLoss:.4f} valAcc {valAcc:.4f}")
    if valLoss < bestLoss - 1e-4:
        bestLoss, bestState, bad = valLoss, copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
        if bad >= patience:
            print(f"early stopping at epoch {epoch}, best valLoss {bestLoss:.4f}")
            break
model.load_state_dict(bestState)
exp.export(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "comet_metrics.csv"))
with torch.no_grad():
    lt = model(testX).squeeze(-1)
    testLoss = criterion(lt, testY).item()
    testAcc = ((lt > 0).float() == testY).float().mean().item()
    lt2 = model(trainX).squeeze(-1)
    trLoss = criterion(lt2, trainY).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": testLoss, "val_acc": testAcc, "train_loss": trLoss,
                                     "chance_acc": max(testY.mean().item(), 1 - testY.mean().item())}))
