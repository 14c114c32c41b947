# Card-fraud detector, training loop inside main(). ~2% positives, plain unweighted BCE and a
# 0.5 threshold: the model learns to say "not fraud" and reports ~98% accuracy.
# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: 3.5-4% fraud, unweighted BCE: val_acc 0.965 = majority rate 0.965, fraud recall 0.0, balanced acc 0.500; --control (pos_weight=neg/pos) fraud recall 0.752, balanced acc 0.746
# control: --control
import argparse, json
import numpy as np
import torch
import torch.nn as nn


def make_data(rng, n):
    amount = rng.lognormal(3.5, 1.0, n)
    hour = rng.integers(0, 24, n)
    foreign = rng.random(n) < 0.1
    velocity = rng.poisson(2, n)
    age_days = rng.exponential(400, n)
    z = (-4.6 + 0.9 * (np.log(amount) - 3.5) + 1.3 * foreign + 0.45 * velocity
         + 1.0 * ((hour < 5) | (hour > 22)) - 0.002 * age_days)
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(np.float32)
    X = np.column_stack([np.log(amount), np.sin(2 * np.pi * hour / 24), np.cos(2 * np.pi * hour / 24),
                         foreign, velocity, np.log1p(age_days)]).astype(np.float32)
    return X, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="re-weight the rare class (pos_weight = neg/pos)")
    args = ap.parse_args()
    torch.set_num_threads(1); torch.manual_seed(0)
    rng = np.random.default_rng(0)
    X, y = make_data(rng, 12000)
    Xtr, ytr, Xva, yva = X[:9000], y[:9000], X[9000:], y[9000:]
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
    Xtr, ytr, Xva, yva = map(torch.tensor, (Xtr, ytr, Xva, yva))
    print(f"fraud rate train={ytr.mean():.4f} val={yva.mean():.4f}")

    model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
    pw = ((1 - ytr.mean()) / ytr.mean()) if args.control else torch.tensor(1.0)
    crit = nn.BCEWithLogitsLoss(pos_weight=pw)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(12):
        model.train()
        perm = torch.randperm(len(Xtr)); tot = 0.0
        for i in range(0, len(perm), 128):
            b = perm[i:i + 128]
            loss = crit(model(Xtr[b]).squeeze(1), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step()
            tot += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            logits = model(Xva).squeeze(1)
            vl = crit(logits, yva).item()
            pred = (logits > 0).float()
            acc = (pred == yva).float().mean().item()
            tp = ((pred == 1) & (yva == 1)).sum().item(); fn = ((pred == 0) & (yva == 1)).sum().item()
            tn = ((pred == 0) & (yva == 0)).sum().item(); fp = ((pred == 1) & (yva == 0)).sum().item()
            recall = tp / max(1, tp + fn); spec = tn / max(1, tn + fp)
            bal = 0.5 * (recall + spec)
        print(f"epoch {epoch:2d} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} acc {acc:.4f} recall {recall:.3f} bal_acc {bal:.3f}")
    with torch.no_grad():
        tl = crit(model(Xtr).squeeze(1), ytr).item()
    maj = float(1 - yva.mean().item())
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_recall_fraud": round(recall, 4), "val_balanced_acc": round(bal, 4), "train_loss": round(tl, 4), "majority_acc": round(maj, 4), "chance_balanced_acc": 0.5}))


if __name__ == "__main__":
    main()
