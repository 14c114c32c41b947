# expect:
# allow:
# forbid: *
# evidence: fine-tuning a pretrained encoder on 400 target rows: eval_accuracy 0.894 after 5 epochs -> 0.910 at 30 (chance 0.25), eval_loss 0.30 -> 0.21, train loss 0.11
# native-log: finetune_history.json
# log-expect:
# log-allow:
# Two-stage: pretrain an encoder on a large 10-class source task, then fine-tune it (new head,
# AdamW lr=2e-3 for the head, 1e-4 for the backbone) on a small related 4-class target task.
# Only the fine-tuning run is logged, as a JSON list of per-epoch dicts (eval_loss / eval_accuracy).
import json, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(4)
torch.set_num_threads(1)

# latent 6-d factors -> 40-d observations through a fixed random map
mix = torch.randn(6, 40)
def observe(z):
    return torch.tanh(z @ mix) + 0.1 * torch.randn(len(z), 40)

src_w = torch.randn(6, 10)
tgt_w = src_w[:, :4] + 0.3 * torch.randn(6, 4)   # related target labels
def source(n):
    z = torch.randn(n, 6); return observe(z), (z @ src_w).argmax(1)
def target(n):
    z = torch.randn(n, 6); return observe(z), (z @ tgt_w).argmax(1)

backbone = nn.Sequential(nn.Linear(40, 128), nn.GELU(), nn.Linear(128, 64), nn.GELU())
# --- stage 1: pretraining (not logged) ---
xs, ys = source(6000)
head_src = nn.Linear(64, 10)
opt = torch.optim.Adam(list(backbone.parameters()) + list(head_src.parameters()), lr=2e-3)
for ep in range(6):
    for b in torch.randperm(len(xs)).split(128):
        loss = F.cross_entropy(head_src(backbone(xs[b])), ys[b])
        opt.zero_grad(); loss.backward(); opt.step()

# --- stage 2: fine-tuning ---
xt, yt = target(400)
xe, ye = target(1000)
head = nn.Linear(64, 4)
opt = torch.optim.AdamW([{"params": backbone.parameters(), "lr": 1e-4},
                         {"params": head.parameters(), "lr": 2e-3}], weight_decay=0.01)
history = []
path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "finetune_history.json")
step = 0
for epoch in range(1, 31):
    backbone.train(); head.train()
    tr = 0.0
    for b in torch.randperm(len(xt)).split(16):
        loss = F.cross_entropy(head(backbone(xt[b])), yt[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tr += loss.item() * len(b); step += 1
    backbone.eval(); head.eval()
    with torch.no_grad():
        out = head(backbone(xe))
        ev_loss = F.cross_entropy(out, ye).item()
        ev_acc = (out.argmax(1) == ye).float().mean().item()
    history.append({"epoch": epoch, "step": step, "loss": tr / len(xt), "eval_loss": ev_loss,
                    "eval_accuracy": ev_acc, "learning_rate": opt.param_groups[1]["lr"]})
    with open(path, "w") as f:
        json.dump(history, f, indent=2)
    if epoch % 5 == 0:
        print(history[-1])
print("CORPUS_METRIC " + json.dumps({"val_loss": ev_loss, "val_acc": ev_acc, "train_loss": tr / len(xt), "chance_acc": 0.25}))
