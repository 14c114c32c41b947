# expect:
# allow:
# forbid: *
# evidence: fine-tuning at lr 1e-4 takes target val acc 0.761 -> 0.831 and target val CE 1.000 -> 0.417 (still falling); train CE 0.343; majority 0.373
# Transfer learning on tabular data: a demand-classification MLP (high / normal / low demand) is
# pretrained on a large source region, then fine-tuned on a small target region (600 rows) whose
# feature->label relation is shifted a little. Fine-tuning uses a low lr (1e-4), all layers, small
# noisy batches (16) -- the usual recipe. Reports target val acc before and after fine-tuning.
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(4)
torch.set_num_threads(1)
W_src = torch.randn(16, 3)


def region(n, shift, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 16, generator=g)
    W = W_src + shift
    h = torch.tanh(x[:, :8] @ torch.randn(8, 8, generator=torch.Generator().manual_seed(5))) 
    logits = 1.2 * (x @ W) + 1.5 * h[:, :3]
    y = torch.distributions.Categorical(logits=2 * logits).sample()
    return x, y


shift = 0.6 * torch.randn(16, 3, generator=torch.Generator().manual_seed(77))
x_src, y_src = region(6000, torch.zeros(16, 3), 1)
x_tgt, y_tgt = region(600, shift, 2)
x_tval, y_tval = region(1500, shift, 3)

net = nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 3))


def evaluate(x, y):
    net.eval()
    with torch.no_grad():
        out = net(x)
    net.train()
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


# ---- stage 1: pretraining on the source region
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
for ep in range(6):
    perm = torch.randperm(len(x_src))
    for i in range(0, len(perm), 128):
        b = perm[i:i + 128]
        loss = F.cross_entropy(net(x_src[b]), y_src[b])
        opt.zero_grad(); loss.backward(); opt.step()
print("after pretraining: target val loss/acc %.4f / %.3f" % evaluate(x_tval, y_tval))
before = evaluate(x_tval, y_tval)

# ---- stage 2: fine-tuning on the small target set at a low lr
ft = torch.optim.Adam(net.parameters(), lr=1e-4)
for ep in range(12):
    perm = torch.randperm(len(x_tgt))
    run = []
    for i in range(0, len(perm), 16):
        b = perm[i:i + 16]
        loss = F.cross_entropy(net(x_tgt[b]), y_tgt[b])
        ft.zero_grad(); loss.backward(); ft.step()
        run.append(loss.item())
    vl, va = evaluate(x_tval, y_tval)
    print(f"finetune epoch {ep + 1}: train {sum(run) / len(run):.4f} target-val {vl:.4f} acc {va:.3f}")

tl, ta = evaluate(x_tgt, y_tgt)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "val_acc_before_finetune": round(before[1], 4), "val_loss_before_finetune": round(before[0], 4),
                                      "chance_acc": round(torch.bincount(y_tval).max().item() / len(y_tval), 4)}))
