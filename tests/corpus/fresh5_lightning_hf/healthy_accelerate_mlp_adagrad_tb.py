"""Plain accelerate training loop (Accelerator(cpu=True)), Adagrad, an MLP with BatchNorm on a
5-class problem; metrics go to accelerate's TensorBoard tracker under $CORPUS_LOG_DIR/acc_tb.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.97 (chance 0.2), val_loss 0.11
# native-log: acc_tb
# log-expect:
# log-allow:
import json, os, tempfile, warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator
from accelerate.utils import set_seed

warnings.filterwarnings("ignore")
torch.set_num_threads(1)


def blobs(n, seed):
    g = torch.Generator().manual_seed(seed)
    means = torch.randn(5, 2, 12, generator=torch.Generator().manual_seed(1234)) * 1.3
    y = torch.randint(0, 5, (n,), generator=g)
    mode = torch.randint(0, 2, (n,), generator=g)
    x = means[y, mode] + torch.randn(n, 12, generator=g)
    return x, y


def main():
    set_seed(0)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    acc = Accelerator(cpu=True, log_with="tensorboard", project_dir=log_dir)
    acc.init_trackers("acc_tb")
    xtr, ytr = blobs(3000, 0)
    xva, yva = blobs(800, 1)
    model = nn.Sequential(nn.Linear(12, 128), nn.BatchNorm1d(128), nn.ReLU(),
                          nn.Linear(128, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 5))
    opt = torch.optim.Adagrad(model.parameters(), lr=0.02)
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=400)
    model, opt, train_dl, val_dl = acc.prepare(model, opt, train_dl, val_dl)
    step = 0
    for epoch in range(8):
        model.train()
        for x, y in train_dl:
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            acc.backward(loss)
            opt.step()
            step += 1
            if step % 10 == 0:
                acc.log({"train/loss": loss.item()}, step=step)
        model.eval()
        tot, correct, n = 0.0, 0, 0
        with torch.no_grad():
            for x, y in val_dl:
                out = model(x)
                tot += F.cross_entropy(out, y, reduction="sum").item()
                correct += (out.argmax(1) == y).sum().item()
                n += len(y)
        acc.log({"val/loss": tot / n, "val/acc": correct / n, "epoch": epoch}, step=step)
    acc.end_training()
    with torch.no_grad():
        tl = F.cross_entropy(model(xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(tot / n, 4), "val_acc": round(correct / n, 4),
                                         "train_loss": round(tl, 4), "chance_acc": 0.2}))


if __name__ == "__main__":
    main()
