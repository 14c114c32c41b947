# expect: learning_rate_too_high
# allow: non_convergence, dead_units, exploding_gradients
# forbid: *
# evidence: control (Adam lr=1e-3) reaches val_acc 1.000, val_loss 0.007; planted (Adam lr=0.05) sits at ln3 from epoch 0: train_loss 1.100, val_loss 1.102, val_acc 0.362 (chance 0.333) after 12 epochs
# control: --control
# native-log: mlruns/0/6c1f0e2b9d8a4c7e8f00112233445566
# log-expect:
# log-allow: learning_rate_too_high, non_convergence
"""Small CNN on synthetic 3-class texture patches with Adam at lr=0.05 (an SGD-style lr pasted into
Adam). Logged in MLflow's file-store layout: metrics/<key> lines "<ms timestamp> <value> <step>"."""
import json, os, sys, tempfile, time
import torch
import torch.nn as nn
import torch.nn.functional as F

LR = 1e-3 if "--control" in sys.argv else 0.05
torch.manual_seed(9); torch.set_num_threads(1)

RUN = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "mlruns", "0", "6c1f0e2b9d8a4c7e8f00112233445566")
for d in ("metrics", "params", "tags"):
    os.makedirs(os.path.join(RUN, d), exist_ok=True)
def log_metric(key, value, step):
    with open(os.path.join(RUN, "metrics", key), "a") as f:
        f.write(f"{int(time.time() * 1000)} {value} {step}\n")
def log_param(key, value):
    with open(os.path.join(RUN, "params", key), "w") as f:
        f.write(str(value))
with open(os.path.join(RUN, "meta.yaml"), "w") as f:
    f.write("experiment_id: '0'\nlifecycle_stage: active\nrun_id: 6c1f0e2b9d8a4c7e8f00112233445566\n"
            "run_name: textures-adam\nstatus: 3\nuser_id: bob\n")
with open(os.path.join(RUN, "tags", "mlflow.runName"), "w") as f:
    f.write("textures-adam")

def textures(n):
    y = torch.randint(0, 3, (n,))
    g = torch.arange(10).float()
    freq = torch.tensor([0.6, 1.2, 2.0])[y]
    ang = torch.rand(n) * 3.14
    xx, yy = torch.meshgrid(g, g, indexing="ij")
    proj = torch.cos(ang)[:, None, None] * xx + torch.sin(ang)[:, None, None] * yy
    img = torch.sin(freq[:, None, None] * proj + torch.rand(n, 1, 1) * 6.28)
    return (img + 0.5 * torch.randn_like(img)).unsqueeze(1), y

xtr, ytr = textures(1500); xva, yva = textures(500)
cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 3))
opt = torch.optim.Adam(cnn.parameters(), lr=LR)
log_param("lr", LR); log_param("optimizer", "Adam"); log_param("batch_size", 32)
step = 0
for ep in range(12):
    cnn.train()
    for b in torch.randperm(len(xtr)).split(32):
        loss = F.cross_entropy(cnn(xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if step % 10 == 0:
            log_metric("train_loss", loss.item(), step)
    cnn.eval()
    with torch.no_grad():
        tl = F.cross_entropy(cnn(xtr), ytr).item()
        o = cnn(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    log_metric("val_loss", vl, step); log_metric("val_acc", va, step); log_metric("epoch_train_loss", tl, step)
    print(f"ep {ep} train {tl:.4f} val {vl:.4f} acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 1 / 3}))
