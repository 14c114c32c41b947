# expect:
# allow:
# forbid: *
# evidence: noisy-label 5-class task: val_acc 0.797 (majority 0.234), val_loss 0.536 (plain CE), smoothed train_loss 0.649 (floor ~0.5 with smoothing 0.1), val loss at its minimum at the end of the cosine
# AdamW with default eps, 1-epoch linear warm-up then cosine decay to 0, label smoothing 0.1.
# With label smoothing the training loss floor is ~0.5, not 0.
import json, math
import torch
import torch.nn as nn

CONFIG = dict(seed=5, n=7000, n_val=1500, d=24, classes=5, width=192, lr=2e-3, wd=0.05,
              epochs=14, bs=128, warmup_epochs=1, smoothing=0.1)

def data(c):
    g = torch.Generator().manual_seed(c["seed"])
    X = torch.randn(c["n"] + c["n_val"], c["d"], generator=g)
    W = torch.randn(c["d"], c["classes"], generator=g)
    logits = 3.0 * torch.sin(X @ W / 4) + 0.3 * torch.randn(len(X), c["classes"], generator=g)
    Y = logits.argmax(1)
    return X[:c["n"]], Y[:c["n"]], X[c["n"]:], Y[c["n"]:]

def lr_lambda_factory(total, warm):
    def f(step):
        if step < warm:
            return (step + 1) / warm
        prog = (step - warm) / max(1, total - warm)
        return 0.5 * (1 + math.cos(math.pi * prog))
    return f

def main(c=CONFIG):
    torch.manual_seed(c["seed"]); torch.set_num_threads(1)
    Xtr, Ytr, Xva, Yva = data(c)
    model = nn.Sequential(nn.Linear(c["d"], c["width"]), nn.LayerNorm(c["width"]), nn.GELU(),
                          nn.Linear(c["width"], c["width"]), nn.GELU(), nn.Linear(c["width"], c["classes"]))
    opt = torch.optim.AdamW(model.parameters(), lr=c["lr"], weight_decay=c["wd"])
    spe = c["n"] // c["bs"]
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda_factory(spe * c["epochs"], spe * c["warmup_epochs"]))
    crit = nn.CrossEntropyLoss(label_smoothing=c["smoothing"])
    plain = nn.CrossEntropyLoss()
    for ep in range(c["epochs"]):
        model.train(); perm = torch.randperm(c["n"]); run = []
        for s in range(spe):
            b = perm[s * c["bs"]:(s + 1) * c["bs"]]
            loss = crit(model(Xtr[b]), Ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            run.append(loss.item())
        model.eval()
        with torch.no_grad():
            o = model(Xva)
            vl, va = plain(o, Yva).item(), (o.argmax(1) == Yva).float().mean().item()
        print(f"ep {ep:2d} lr {sched.get_last_lr()[0]:.2e} train(smoothed) {sum(run)/len(run):.4f} val {vl:.4f} acc {va:.3f}")
    chance = torch.bincount(Yva).max().item() / len(Yva)
    print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": sum(run) / len(run), "chance_acc": chance}))

if __name__ == "__main__":
    main()
