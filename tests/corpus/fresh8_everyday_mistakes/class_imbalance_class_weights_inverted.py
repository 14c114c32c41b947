# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: planted (weights = frequency [0.95, 0.05] on 95/5 data): rare-class recall 0.000, balanced acc 0.500, val_acc 0.964 = majority rate 0.964; control (inverse frequency [0.53, 9.65]) rare recall 0.875, balanced acc 0.902, val_acc 0.926
# control: --control
# 95/5 fraud-style data. The author meant inverse-frequency class weights but wrote counts / counts.sum(),
# which *up*-weights the majority class 19x; the rare class is almost never predicted.
import sys
import json
import torch
import torch.nn as nn

control = "--control" in sys.argv
torch.manual_seed(26)
torch.set_num_threads(1)

g = torch.Generator().manual_seed(260)
def make(n):
    y = (torch.rand(n, generator=g) < 0.05).long()
    x = torch.randn(n, 12, generator=g)
    x[y == 1, :4] += 1.4                      # rare class is shifted in 4 features
    return x, y
x_tr, y_tr = make(6000); x_va, y_va = make(2000)

counts = torch.bincount(y_tr, minlength=2).float()
if control:
    weights = counts.sum() / (2 * counts)        # inverse frequency (what was meant)
else:
    weights = counts / counts.sum()              # BUG: frequency, not inverse frequency
print("class counts", counts.tolist(), "weights", [round(w, 3) for w in weights.tolist()])

model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 2))
crit = nn.CrossEntropyLoss(weight=weights)
plain = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

def metrics(x, y):
    with torch.no_grad():
        out = model(x); pred = out.argmax(1)
        rec = [((pred == c) & (y == c)).sum().item() / max(1, (y == c).sum().item()) for c in (0, 1)]
        return plain(out, y).item(), (pred == y).float().mean().item(), rec

for epoch in range(12):
    model.train(); perm = torch.randperm(6000)
    for i in range(0, 6000, 64):
        j = perm[i:i + 64]
        loss = crit(model(x_tr[j]), y_tr[j]); opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    vl, va, rec = metrics(x_va, y_va)
    print(f"epoch {epoch} val_loss {vl:.4f} val_acc {va:.4f} recall(maj) {rec[0]:.3f} recall(rare) {rec[1]:.3f} balanced {(rec[0] + rec[1]) / 2:.3f}")

tl, _, _ = metrics(x_tr, y_tr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "val_balanced_acc": round((rec[0] + rec[1]) / 2, 4), "val_rare_recall": round(rec[1], 4),
                                      "chance_acc": round(1 - y_va.float().mean().item(), 3)}))
