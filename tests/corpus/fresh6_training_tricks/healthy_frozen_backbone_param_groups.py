# expect:
# allow:
# forbid: *
# evidence: backbone pretrained on a 10-class source task (val_acc 0.904), then fine-tuned on a 600-sample 4-class target task: stem frozen, body at lr 3e-4, new head at lr 1e-2 (AdamW param groups, LambdaLR warm-up); target val_acc 0.870, val_loss 0.324 still improving slowly (chance 0.25)
"""Transfer learning the usual way: pretrain, freeze the stem, discriminative learning rates."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
DIM, LATENT = 40, 8
mix = torch.randn(LATENT, DIM) / LATENT ** 0.5
src_w = torch.randn(LATENT, 10)
tgt_w = torch.randn(LATENT, 4)


def make(n, w):
    z = torch.randn(n, LATENT)
    x = torch.tanh(z @ mix) + 0.05 * torch.randn(n, DIM)
    x = x / 0.6
    return x, (z @ w).argmax(1)


class Net(nn.Module):
    def __init__(self, n_out):
        super().__init__()
        self.stem = nn.Sequential(nn.Linear(DIM, 128), nn.BatchNorm1d(128), nn.ReLU())
        self.body = nn.Sequential(nn.Linear(128, 64), nn.BatchNorm1d(64), nn.ReLU())
        self.head = nn.Linear(64, n_out)

    def forward(self, x):
        return self.head(self.body(self.stem(x)))


def run_epoch(model, opt, x, y, sched=None, bs=32):
    model.train()
    for m in model.stem.modules():      # frozen part keeps its BN statistics
        if isinstance(m, nn.BatchNorm1d) and not next(model.stem.parameters()).requires_grad:
            m.eval()
    perm = torch.randperm(len(x))
    tot = 0.0
    for s in range(0, len(x), bs):
        idx = perm[s:s + bs]
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        tot += loss.item() * len(idx)
    return tot / len(x)


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        lv = model(x)
        return F.cross_entropy(lv, y).item(), (lv.argmax(1) == y).float().mean().item()


# 1) pretraining on the big source task
xs, ys = make(8000, src_w)
xsv, ysv = make(1000, src_w)
src = Net(10)
opt = torch.optim.Adam(src.parameters(), lr=2e-3)
for epoch in range(6):
    tl = run_epoch(src, opt, xs, ys, bs=128)
    print("pretrain epoch %d train_loss %.4f val_loss %.4f val_acc %.3f" % ((epoch, tl) + evaluate(src, xsv, ysv)))

# 2) fine-tuning on the small target task
xt, yt = make(600, tgt_w)
xtv, ytv = make(1000, tgt_w)
model = Net(4)
state = {k: v for k, v in src.state_dict().items() if not k.startswith("head.")}
print(model.load_state_dict(state, strict=False))
for p in model.stem.parameters():
    p.requires_grad_(False)
opt = torch.optim.AdamW([
    {"params": model.body.parameters(), "lr": 3e-4},
    {"params": model.head.parameters(), "lr": 1e-2},
], weight_decay=1e-2)
WARM = 20
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: min(1.0, (step + 1) / WARM))
for epoch in range(25):
    train_loss = run_epoch(model, opt, xt, yt, sched)
    val_loss, val_acc = evaluate(model, xtv, ytv)
    print(f"finetune epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": 0.25}))
