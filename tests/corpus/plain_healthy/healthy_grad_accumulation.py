# expect:
# forbid: *
# evidence: val_acc 0.986 (majority 0.512), val_loss 0.056 vs train_loss 0.020
# Gradient accumulation: micro-batches of 16, optimizer step every 4 micro-batches (effective batch 64), SGD+nesterov.
import json
import torch
import torch.nn as nn

ACCUM = 4
MICRO = 16


def get_data():
    g = torch.Generator().manual_seed(12)
    W1 = torch.randn(10, 16, generator=g)
    W2 = torch.randn(16, 1, generator=g)

    def draw(n):
        x = torch.randn(n * 2, 10, generator=g)
        s = (torch.relu(x @ W1) @ W2).squeeze(1)
        s = s - s.median()
        keep = s.abs() > 0.5
        return x[keep][:n], (s[keep][:n] > 0).long()
    return draw(2400), draw(800)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    (xtr, ytr), (xva, yva) = get_data()
    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    loss_fn = nn.CrossEntropyLoss()
    updates = 0
    for epoch in range(15):
        model.train()
        perm = torch.randperm(len(xtr))
        opt.zero_grad()
        ep_loss, nb = 0.0, 0
        for k, i in enumerate(range(0, len(xtr), MICRO)):
            b = perm[i:i + MICRO]
            loss = loss_fn(model(xtr[b]), ytr[b]) / ACCUM
            loss.backward()
            ep_loss += loss.item() * ACCUM
            nb += 1
            if (k + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                updates += 1
        model.eval()
        with torch.no_grad():
            out = model(xva)
            vl = loss_fn(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        print(f"epoch {epoch + 1} updates {updates} train_loss {ep_loss / nb:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(ep_loss / nb, 4),
                                          "chance_acc": round(max(yva.float().mean().item(), 1 - yva.float().mean().item()), 3)}))


if __name__ == "__main__":
    main()
