# expect:
# allow:
# forbid: *
# evidence: 7-class task (chance 0.14): eval_accuracy 0.967, eval_loss 0.085, train_loss 0.068 after 8 epochs of batch-8 AdamW with warm-up + linear decay
# native-log: tb_logs/events
# log-expect:
# log-allow:
# Flat notebook cell style. Batch size 8 -> very noisy per-step loss, logged every step with
# HF-trainer-like tag names (train/loss, eval/loss, eval/accuracy, train/learning_rate) through
# torch.utils.tensorboard. Linear warm-up then linear decay; 7-class MLP with dropout.
import json, os, tempfile
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
torch.manual_seed(1234); torch.set_num_threads(1)

C = 7
A = torch.randn(18, 18) / 18 ** 0.5
cent = torch.randn(C, 18) * 1.3
y_all = torch.randint(0, C, (2600,))
x_all = torch.relu(cent[y_all] + torch.randn(2600, 18)) @ A
x_tr, y_tr, x_ev, y_ev = x_all[:2000], y_all[:2000], x_all[2000:], y_all[2000:]
x_mu, x_sd = x_tr.mean(0), x_tr.std(0)
x_tr, x_ev = (x_tr - x_mu) / x_sd, (x_ev - x_mu) / x_sd

net = nn.Sequential(nn.Linear(18, 96), nn.ReLU(), nn.Dropout(0.2), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, C))
opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)
n_epochs, bs = 8, 8
total = n_epochs * (len(x_tr) // bs); warm = total // 10
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / warm if s < warm else max(0.0, (total - s) / (total - warm)))
tb = SummaryWriter(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tb_logs", "events"))
step = 0
for ep in range(n_epochs):
    net.train()
    for b in torch.randperm(len(x_tr))[: (len(x_tr) // bs) * bs].view(-1, bs):
        loss = F.cross_entropy(net(x_tr[b]), y_tr[b])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1
        if step % 5 == 0:
            tb.add_scalar("train/loss", loss.item(), step)
            tb.add_scalar("train/learning_rate", sched.get_last_lr()[0], step)
    net.eval()
    with torch.no_grad():
        o = net(x_ev); ev_loss = F.cross_entropy(o, y_ev).item(); ev_acc = (o.argmax(1) == y_ev).float().mean().item()
        tr_loss = F.cross_entropy(net(x_tr), y_tr).item()
    tb.add_scalar("eval/loss", ev_loss, step); tb.add_scalar("eval/accuracy", ev_acc, step)
    print(f"epoch {ep} step {step} train_loss {tr_loss:.4f} eval_loss {ev_loss:.4f} eval_accuracy {ev_acc:.4f}")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": ev_loss, "val_acc": ev_acc, "train_loss": tr_loss, "chance_acc": 1 / C}))
