# expect:
# allow:
# forbid: *
# evidence: train_loss -> 0.003 while val_loss stays flat at ~0.04 from epoch 12 on; SWA model val_acc 0.986, val_loss 0.041
"""Stochastic Weight Averaging with torch.optim.swa_utils on digits.
SGD + cosine for the first 25 epochs, then SWALR and weight averaging;
BatchNorm statistics of the averaged model are recomputed with update_bn.
Training loss goes to ~0 while the validation loss stays at its best."""
import json
import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, SWALR, update_bn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(2024)
torch.set_num_threads(1)

digits = load_digits()
Xtr, Xva, ytr, yva = train_test_split(digits.data / 16.0, digits.target, test_size=0.2,
                                      random_state=1, stratify=digits.target)
train_ds = TensorDataset(torch.tensor(Xtr, dtype=torch.float32), torch.tensor(ytr))
val_x, val_y = torch.tensor(Xva, dtype=torch.float32), torch.tensor(yva)
loader = DataLoader(train_ds, batch_size=64, shuffle=True)

model = nn.Sequential(
    nn.Linear(64, 256), nn.BatchNorm1d(256), nn.ReLU(),
    nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(),
    nn.Linear(128, 10),
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
EPOCHS, SWA_START = 40, 25
sched = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=SWA_START)
swa_model = AveragedModel(model)
swa_sched = SWALR(optimizer, swa_lr=0.01, anneal_epochs=3)
criterion = nn.CrossEntropyLoss()


def evaluate(m):
    m.eval()
    with torch.no_grad():
        out = m(val_x)
        return criterion(out, val_y).item(), (out.argmax(1) == val_y).float().mean().item()


for epoch in range(EPOCHS):
    model.train()
    tot, cnt = 0.0, 0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        tot += loss.item() * len(yb)
        cnt += len(yb)
    if epoch >= SWA_START:
        swa_model.update_parameters(model)
        swa_sched.step()
    else:
        sched.step()
    vl, va = evaluate(model)
    print(f"epoch {epoch:2d} lr {optimizer.param_groups[0]['lr']:.4f} train_loss {tot / cnt:.5f} "
          f"val_loss {vl:.4f} val_acc {va:.4f}")

update_bn(loader, swa_model)
swa_vl, swa_va = evaluate(swa_model)
print(f"SWA model: val_loss {swa_vl:.4f} val_acc {swa_va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(swa_vl, 4), "val_acc": round(swa_va, 4),
                                     "train_loss": round(tot / cnt, 5), "chance_acc": 0.1}))
