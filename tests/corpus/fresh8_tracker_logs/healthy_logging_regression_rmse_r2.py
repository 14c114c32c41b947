# expect:
# allow:
# forbid: *
# evidence: held-out R2 0.990 (val_mse 0.026 vs target_var 2.48), train_loss 0.0097 vs val_loss 0.011 (standardised) after 40 epochs
# native-log: logs/fit.log
# log-expect:
# log-allow:
# Regression of a smooth 8-d function with an MLP; Adam + ReduceLROnPlateau; the logger writes
# "epoch=.. train_loss=.. val_loss=.. val_rmse=.. val_r2=.. lr=.." lines (stdlib logging).
import json, logging, math, os, tempfile
import torch
import torch.nn as nn

torch.manual_seed(2024)
torch.set_num_threads(1)

logdir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "logs")
os.makedirs(logdir, exist_ok=True)
logger = logging.getLogger("fit")
logger.setLevel(logging.INFO)
fh = logging.FileHandler(os.path.join(logdir, "fit.log"), mode="w")
fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
logger.addHandler(fh)
logger.addHandler(logging.StreamHandler())


def target(x):
    return torch.sin(2 * x[:, 0]) + x[:, 1] * x[:, 2] + 0.5 * torch.cos(x[:, 3] + x[:, 4]) + 0.3 * x[:, 5] ** 2


x_train = torch.rand(3000, 8) * 4 - 2
y_train = target(x_train) + 0.05 * torch.randn(3000)
x_val = torch.rand(800, 8) * 4 - 2
y_val = target(x_val) + 0.05 * torch.randn(800)
mu, sd = y_train.mean(), y_train.std()

model = nn.Sequential(nn.Linear(8, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 1))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
mse = nn.MSELoss()

for epoch in range(1, 41):
    model.train()
    tot = 0.0
    for idx in torch.randperm(3000).split(64):
        pred = model(x_train[idx]).squeeze(1)
        loss = mse(pred, (y_train[idx] - mu) / sd)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        pv = model(x_val).squeeze(1) * sd + mu
        val_mse = ((pv - y_val) ** 2).mean().item()
        val_loss = val_mse / sd.item() ** 2
    r2 = 1 - val_mse / y_val.var().item()
    plateau.step(val_loss)
    logger.info("epoch=%d train_loss=%.5f val_loss=%.5f val_rmse=%.4f val_r2=%.4f lr=%.2e",
                epoch, tot / 3000, val_loss, math.sqrt(val_mse), r2, opt.param_groups[0]["lr"])

print("CORPUS_METRIC " + json.dumps({"val_mse": val_mse, "target_var": y_val.var().item(), "val_loss": val_loss,
                                     "train_loss": tot / 3000, "val_r2": r2}))
