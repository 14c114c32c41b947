# expect:
# allow:
# forbid: *
# evidence: logged step loss rises 0.126 (step 100) -> 0.253 (step 120) and val_loss 0.151 -> 0.263 at the lr peak (0.099), then falls with the anneal; final val_acc 0.978, val_loss 0.094 (chance 0.10)
# native-log: onecycle_steps.csv
# log-expect:
# log-allow:
"""Digits MLP trained with SGD + OneCycleLR (max_lr 0.1). Loss is logged every 10 steps with
the lr and the epoch; during the high-lr middle part the loss rises/gets noisy, then falls
as the lr anneals. Eval every epoch."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "onecycle_steps.csv"), "w")
log.write("step,epoch,lr,train_loss,val_loss,val_acc\n")

X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype(np.float32)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=1, stratify=y)
Xtr, Xva, ytr, yva = map(torch.tensor, (Xtr, Xva, ytr, yva))

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
EPOCHS, BS = 12, 32
steps_per_epoch = (len(Xtr) + BS - 1) // BS
opt = torch.optim.SGD(model.parameters(), lr=0.004, momentum=0.9, nesterov=True)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, epochs=EPOCHS, steps_per_epoch=steps_per_epoch, pct_start=0.3)
lossf = nn.CrossEntropyLoss()
step, run = 0, []
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1
        run.append(loss.item())
        if step % 10 == 0:
            log.write(f"{step},{ep},{opt.param_groups[0]['lr']:.5f},{np.mean(run):.5f},,\n"); run = []
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    log.write(f"{step},{ep},{opt.param_groups[0]['lr']:.5f},,{vl:.5f},{va:.4f}\n")
    print(f"epoch {ep} step {step} lr {opt.param_groups[0]['lr']:.4f} last_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")
log.close()
with torch.no_grad():
    tl = lossf(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
