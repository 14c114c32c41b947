# Improving Deep Neural Networks style: 3-layer ReLU network on the two-moons data, He init, mini-batch
# gradient descent with momentum (beta=0.9) and exponential learning-rate decay; logs a CSV
# "iteration,cost,train_acc,dev_acc" every 10 iterations. Data noise 0.25 -> Bayes error roughly 5%.
# Planted: learning_rate = 1.0 (with momentum 0.9) instead of 0.05.
# expect: learning_rate_too_high
# allow: dead_units, non_convergence, exploding_gradients, high_bias
# forbid: *
# evidence: planted (lr=1.0, momentum 0.9) CSV cost falls 0.75 -> 0.32 by iteration 60 then climbs back to ~0.69 and stays there, accuracy 0.85 -> 0.50; end train_acc 0.497, dev_acc 0.507 (chance 0.5), 38% / 94% of ReLU units dead; control (--control: lr=0.05) dev_acc 0.927, val_loss 0.20
# control: --control
# native-log: costs.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, high_bias
import argparse, json, os, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_moons

torch.set_num_threads(1)
np.random.seed(0)
torch.manual_seed(0)


def initialize_parameters_he(model):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Linear):
                m.weight.copy_(torch.randn_like(m.weight) * np.sqrt(2.0 / m.weight.shape[1]))
                m.bias.zero_()


def acc(model, X, Y):
    with torch.no_grad():
        return ((model(X).squeeze(1) > 0).float() == Y).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="learning rate 0.05")
    ap.add_argument("--num_epochs", type=int, default=40)
    args = ap.parse_args()
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(log_dir, exist_ok=True)
    X, Y = make_moons(n_samples=1000, noise=0.25, random_state=0)
    X, Y = torch.tensor(X, dtype=torch.float32), torch.tensor(Y, dtype=torch.float32)
    X = (X - X[:700].mean(0)) / X[:700].std(0)
    Xtr, Ytr, Xdev, Ydev = X[:700], Y[:700], X[700:], Y[700:]
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))
    initialize_parameters_he(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05 if args.control else 1.0, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.97)
    criterion = nn.BCEWithLogitsLoss()
    it = 0
    with open(os.path.join(log_dir, "costs.csv"), "w") as f:
        f.write("iteration,cost,train_acc,dev_acc\n")
        for epoch in range(args.num_epochs):
            perm = torch.randperm(700)
            for k in range(0, 700, 32):
                idx = perm[k:k + 32]
                cost = criterion(model(Xtr[idx]).squeeze(1), Ytr[idx])
                optimizer.zero_grad()
                cost.backward()
                optimizer.step()
                if it % 10 == 0:
                    f.write(f"{it},{cost.item():.6f},{acc(model, Xtr, Ytr):.4f},{acc(model, Xdev, Ydev):.4f}\n")
                it += 1
            scheduler.step()
            if epoch % 10 == 0:
                print(f"Cost after epoch {epoch}: {cost.item():.4f}")
    with torch.no_grad():
        train_loss = criterion(model(Xtr).squeeze(1), Ytr).item()
        dev_loss = criterion(model(Xdev).squeeze(1), Ydev).item()
    train_acc, dev_acc = acc(model, Xtr, Ytr), acc(model, Xdev, Ydev)
    with torch.no_grad():
        h1 = model[1](model[0](Xdev)); h2 = model[3](model[2](h1))
        dead = [(h.max(0).values <= 0).float().mean().item() for h in (h1, h2)]
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f}; fraction of ReLU units never firing on dev: {dead[0]:.2f}, {dead[1]:.2f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4),
                                         "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4), "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
