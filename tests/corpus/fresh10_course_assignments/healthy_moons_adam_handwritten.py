# Improving Deep Neural Networks, "Optimization methods": Adam written by hand with torch tensors
# (no torch.optim): v = b1*v + (1-b1)*g; s = b2*s + (1-b2)*g^2; bias correction; W -= lr * v_hat/(sqrt(s_hat)+eps).
# 3-layer ReLU net [2, 20, 10, 1] (He init) on two moons (noise 0.2 -> Bayes error ~2-3%), mini-batches of 64.
# expect:
# allow:
# forbid: *
# evidence: train_acc 0.972, dev_acc 0.980, val_loss 0.064 (chance 0.5; noise-level error ~0.03) after 120 epochs of hand-written Adam (lr 0.003)
import json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_moons

torch.set_num_threads(1)
np.random.seed(13)
torch.manual_seed(13)


def initialize_adam(params):
    return [torch.zeros_like(p) for p in params], [torch.zeros_like(p) for p in params]


def update_parameters_with_adam(params, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    with torch.no_grad():
        for p, vp, sp in zip(params, v, s):
            vp.mul_(beta1).add_((1 - beta1) * p.grad)
            sp.mul_(beta2).add_((1 - beta2) * p.grad ** 2)
            v_corrected = vp / (1 - beta1 ** t)
            s_corrected = sp / (1 - beta2 ** t)
            p -= learning_rate * v_corrected / (torch.sqrt(s_corrected) + epsilon)


def main():
    X, Y = make_moons(n_samples=1200, noise=0.2, random_state=13)
    X, Y = torch.tensor(X, dtype=torch.float32), torch.tensor(Y, dtype=torch.float32)
    Xtr, Ytr, Xdev, Ydev = X[:900], Y[:900], X[900:], Y[900:]
    model = nn.Sequential(nn.Linear(2, 20), nn.ReLU(), nn.Linear(20, 10), nn.ReLU(), nn.Linear(10, 1))
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Linear):
                m.weight.copy_(torch.randn_like(m.weight) * np.sqrt(2.0 / m.weight.shape[1])); m.bias.zero_()
    params = list(model.parameters())
    v, s = initialize_adam(params)
    t = 0
    for epoch in range(120):
        perm = torch.randperm(900)
        for k in range(0, 900, 64):
            idx = perm[k:k + 64]
            cost = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), Ytr[idx])
            model.zero_grad()
            cost.backward()
            t += 1
            update_parameters_with_adam(params, v, s, t, learning_rate=0.003)
        if epoch % 20 == 0:
            print(f"Cost after epoch {epoch}: {cost.item():.4f}")
    with torch.no_grad():
        lt, ld = model(Xtr).squeeze(1), model(Xdev).squeeze(1)
        train_loss, dev_loss = F.binary_cross_entropy_with_logits(lt, Ytr).item(), F.binary_cross_entropy_with_logits(ld, Ydev).item()
        train_acc, dev_acc = ((lt > 0).float() == Ytr).float().mean().item(), ((ld > 0).float() == Ydev).float().mean().item()
    print(f"train acc {train_acc:.3f} dev acc {dev_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "val_acc": round(dev_acc, 4), "train_loss": round(train_loss, 4),
                                         "train_acc": round(train_acc, 4), "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
