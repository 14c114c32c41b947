# expect:
# allow:
# forbid: *
# evidence: teacher-labelled 4-class task (chance 0.25): val_acc 0.937 (peak 0.942), val_loss 0.228, train_loss 0.004 after 40 epochs; val_loss drifts 0.18->0.23 while acc keeps rising (benign)
# native-log: mlruns
# log-expect:
# log-allow:
"""MLP on a teacher-network 4-class problem, AdamW with linear warm-up + cosine decay.
Metrics are written the way MLflow's file store keeps them (mlruns/<exp>/<run>/metrics/<key>,
one "timestamp value step" line per log_metric call; params/<key> hold the value)."""
import json, math, os, tempfile, time, hashlib
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)

LOG_ROOT = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()


class MlflowFileStore:
    """just enough of mlflow's FileStore layout"""

    def __init__(self, root, experiment="teacher-mlp"):
        self.root = os.path.join(root, "mlruns")
        self.exp_id = "1"
        self.run_id = hashlib.md5(experiment.encode()).hexdigest()
        self.exp_dir = os.path.join(self.root, self.exp_id)
        self.run_dir = os.path.join(self.exp_dir, self.run_id)
        for sub in ("metrics", "params", "tags", "artifacts"):
            os.makedirs(os.path.join(self.run_dir, sub), exist_ok=True)
        os.makedirs(os.path.join(self.root, "0"), exist_ok=True)
        with open(os.path.join(self.root, "0", "meta.yaml"), "w") as f:
            f.write("artifact_location: file://%s/0\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n" % self.root)
        with open(os.path.join(self.exp_dir, "meta.yaml"), "w") as f:
            f.write("artifact_location: file://%s\nexperiment_id: '1'\nlifecycle_stage: active\nname: %s\n" % (self.exp_dir, experiment))
        self.start = int(time.time() * 1000)
        self._write_meta("RUNNING", None)

    def _write_meta(self, status, end):
        status_code = {"RUNNING": 1, "FINISHED": 3}[status]
        with open(os.path.join(self.run_dir, "meta.yaml"), "w") as f:
            f.write(
                "artifact_uri: file://%s/artifacts\nend_time: %s\nentry_point_name: ''\nexperiment_id: '1'\n"
                "lifecycle_stage: active\nrun_id: %s\nrun_name: warmup-cosine\nrun_uuid: %s\nsource_name: ''\n"
                "source_type: 4\nsource_version: ''\nstart_time: %d\nstatus: %d\ntags: []\nuser_id: alice\n"
                % (self.run_dir, "null" if end is None else end, self.run_id, self.run_id, self.start, status_code))

    def log_param(self, k, v):
        with open(os.path.join(self.run_dir, "params", k), "w") as f:
            f.write(str(v))

    def log_metric(self, k, v, step):
        with open(os.path.join(self.run_dir, "metrics", k), "a") as f:
            f.write("%d %s %d\n" % (int(time.time() * 1000), repr(float(v)), step))

    def end(self):
        self._write_meta("FINISHED", int(time.time() * 1000))


def make_data(n, teacher):
    x = torch.randn(n, 16)
    with torch.no_grad():
        y = teacher(x).argmax(1)
    return x, y


teacher = nn.Sequential(nn.Linear(16, 32), nn.Tanh(), nn.Linear(32, 4))
xtr, ytr = make_data(3000, teacher)
xva, yva = make_data(1000, teacher)

model = nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 4))
params = dict(lr=3e-3, weight_decay=1e-4, epochs=40, batch_size=64, warmup_epochs=3)
opt = torch.optim.AdamW(model.parameters(), lr=params["lr"], weight_decay=params["weight_decay"])
steps_per_epoch = math.ceil(len(xtr) / params["batch_size"])
total = params["epochs"] * steps_per_epoch
warm = params["warmup_epochs"] * steps_per_epoch
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))

run = MlflowFileStore(LOG_ROOT)
for k, v in params.items():
    run.log_param(k, v)

step = 0
for epoch in range(params["epochs"]):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for i in range(0, len(xtr), params["batch_size"]):
        idx = perm[i:i + params["batch_size"]]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item() * len(idx)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(xva)
        val_loss = F.cross_entropy(out, yva).item()
        val_acc = (out.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    run.log_metric("train_loss", train_loss, epoch)
    run.log_metric("val_loss", val_loss, epoch)
    run.log_metric("val_accuracy", val_acc, epoch)
    run.log_metric("lr", opt.param_groups[0]["lr"], epoch)
    print(f"epoch {epoch:02d} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")
run.end()

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": 0.25}))
