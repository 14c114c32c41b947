"""accelerate template launched with `mixed_precision: bf16` (from the A100 cluster config). The model returns
sigmoid probabilities and the loss is the textbook BCE on probabilities, -(y log p + (1-y) log(1-p)).
In bf16 a probability rounds to exactly 1.0 once the logit passes ~6, log(1-p) = -inf, 0 * -inf = NaN,
and the weights go NaN a few epochs in. Breast-cancer MLP, Adam."""
# expect: non_finite
# allow: non_convergence, high_bias, exploding_gradients, saturated_activations
# forbid: *
# evidence: planted (bf16): finite through epoch 6 (val_acc 0.94), NaN loss and NaN weights from epoch 7, val_acc 0.37; control (fp32) val_acc 0.937, val_loss 0.123, no non-finite values
# control: --control
# native-log: bf16_run/log.jsonl
# log-expect: non_finite
# log-allow: non_convergence, high_bias, exploding_gradients
import argparse, json, math, os, random, tempfile

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator
from accelerate.utils import set_seed
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return torch.sigmoid(self.net(x).squeeze(1))      # probabilities, reused by the eval/threshold code


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="mixed_precision='no' (fp32)")
    ap.add_argument("--epochs", type=int, default=12)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); set_seed(0)
    acc = Accelerator(cpu=True, mixed_precision="no" if args.control else "bf16")
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="bf16_"), "bf16_run")
    os.makedirs(out, exist_ok=True)
    lf = open(os.path.join(out, "log.jsonl"), "w") if acc.is_main_process else None
    X, y = load_breast_cancer(return_X_y=True)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    f = lambda a: torch.tensor(a, dtype=torch.float32)
    dl = DataLoader(TensorDataset(f((Xtr - mu) / sd), f(ytr)), batch_size=32, shuffle=True)
    vdl = DataLoader(TensorDataset(f((Xva - mu) / sd), f(yva)), batch_size=256)
    model = Classifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model, opt, dl, vdl = acc.prepare(model, opt, dl, vdl)
    acc.print(f"mixed_precision={acc.mixed_precision}")
    step = 0
    for epoch in range(args.epochs):
        model.train(); losses = []
        for xb, yb in dl:
            p = model(xb)
            loss = bce(p, yb)
            opt.zero_grad(); acc.backward(loss); opt.step(); step += 1
            losses.append(loss.item())
            if acc.is_main_process and step % 5 == 0:
                lf.write(json.dumps({"step": step, "train_loss": loss.item()}) + "\n")
        model.eval(); vl, correct, n = 0.0, 0, 0
        with torch.no_grad():
            for xb, yb in vdl:
                p = model(xb).float()
                vl += bce(p, yb).item() * len(yb); correct += ((p > 0.5).float() == yb).sum().item(); n += len(yb)
        vl /= n; va = correct / n; tl = float(np.mean(losses))
        nan_w = any(not torch.isfinite(q).all() for q in acc.unwrap_model(model).parameters())
        if acc.is_main_process:
            lf.write(json.dumps({"step": step, "epoch": epoch, "train_loss_epoch": tl, "val_loss": vl, "val_acc": va}) + "\n"); lf.flush()
        acc.print(f"[rank{acc.process_index}] epoch {epoch + 1}/{args.epochs} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} nonfinite_weights={nan_w}")
    acc.wait_for_everyone()
    if acc.is_main_process:
        lf.close()
        fin = lambda v: round(v, 4) if math.isfinite(v) else None
        print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(va, 4), "train_loss": fin(tl),
                                             "chance_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4), "nonfinite_weights": nan_w}))


if __name__ == "__main__":
    main()
