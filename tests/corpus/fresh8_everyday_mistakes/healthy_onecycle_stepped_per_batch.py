# expect:
# allow:
# forbid: *
# evidence: healthy: OneCycleLR(max_lr 0.05) stepped per batch as intended, 12 epochs; val_acc 0.871 (majority 0.269), val_loss 0.388 (min region 0.39-0.42), train_loss 0.095
"""OneCycleLR is a per-batch schedule, and here it is (correctly) stepped after every optimizer step."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_data(seed=120):
    g = torch.Generator().manual_seed(seed)
    U = torch.randn(24, 10, generator=g) / 24 ** 0.5
    V = torch.randn(10, 6, generator=g)
    X = torch.randn(6000, 24, generator=g)
    Y = (torch.tanh(X @ U) @ V).argmax(1)
    return X[:5000], Y[:5000], X[5000:], Y[5000:]


def main():
    torch.manual_seed(12)
    torch.set_num_threads(1)
    Xtr, Ytr, Xva, Yva = get_data()
    model = nn.Sequential(nn.Linear(24, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 6))
    epochs, bs = 12, 50
    steps_per_epoch = len(Xtr) // bs
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.05, epochs=epochs, steps_per_epoch=steps_per_epoch)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(Xtr))
        run = 0.0
        for b in range(steps_per_epoch):
            i = perm[b * bs:(b + 1) * bs]
            loss = F.cross_entropy(model(Xtr[i]), Ytr[i])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            sched.step()
            run += loss.item()
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vl = F.cross_entropy(out, Yva).item()
            va = (out.argmax(1) == Yva).float().mean().item()
        print(f"[{epoch + 1}/{epochs}] lr={sched.get_last_lr()[0]:.4f} loss={run / steps_per_epoch:.4f} val_loss={vl:.4f} val_acc={va:.3f}")
    with torch.no_grad():
        tl = F.cross_entropy(model(Xtr), Ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                          "chance_acc": round(Yva.bincount().max().item() / len(Yva), 3)}))


if __name__ == "__main__":
    main()
