# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (SGD lr=0.05) reaches val R2 0.990 (val_mse 0.0092 vs target_var 0.93); planted (lr=1e-4) after 40 epochs: train_mse 1.10 -> 0.92, val R2 only 0.138, mse still falling linearly
# control: --control
# native-log: run/metrics.json
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
# "Housing price" regression (standardised features and target), MLP, plain SGD lr=1e-4 without
# momentum. Metrics appended to a JSON list every epoch (mse, rmse, mae, r2 on train/val).
import json, os, sys, tempfile
import torch
from torch import nn

class Trainer:
    def __init__(self, lr, epochs=40, bs=32):
        torch.manual_seed(77)
        self.lr, self.epochs, self.bs = lr, epochs, bs
        self.model = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
        self.opt = torch.optim.SGD(self.model.parameters(), lr=lr)
        self.lossf = nn.MSELoss()
        self.history = []

    @staticmethod
    def data(n, coef):
        x = torch.randn(n, 13)
        y = x @ coef + 0.5 * torch.relu(x[:, 0] * x[:, 1]) + 0.2 * torch.randn(n)
        return x, ((y - 0.2) / coef.norm()).unsqueeze(1)

    def fit(self, out_path):
        coef = torch.randn(13)
        xt, yt = self.data(2500, coef)
        xv, yv = self.data(700, coef)
        for ep in range(self.epochs):
            self.model.train()
            for b in torch.randperm(len(xt)).split(self.bs):
                l = self.lossf(self.model(xt[b]), yt[b])
                self.opt.zero_grad(); l.backward(); self.opt.step()
            self.model.eval()
            with torch.no_grad():
                pt, pv = self.model(xt), self.model(xv)
                rec = {"epoch": ep + 1,
                       "train_mse": self.lossf(pt, yt).item(),
                       "val_mse": self.lossf(pv, yv).item(),
                       "val_rmse": self.lossf(pv, yv).sqrt().item(),
                       "val_mae": (pv - yv).abs().mean().item(),
                       "val_r2": 1 - self.lossf(pv, yv).item() / yv.var().item(),
                       "lr": self.lr}
            self.history.append(rec)
            with open(out_path, "w") as f:
                json.dump(self.history, f)
        self.target_var = yv.var().item()
        return rec


if __name__ == "__main__":
    torch.set_num_threads(1)
    lr = 0.05 if "--control" in sys.argv else 1e-4
    root = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "run")
    os.makedirs(root, exist_ok=True)
    tr = Trainer(lr)
    last = tr.fit(os.path.join(root, "metrics.json"))
    for r in tr.history[::8] + tr.history[-1:]:
        print({k: round(v, 4) for k, v in r.items()})
    print("CORPUS_METRIC " + json.dumps({"val_mse": last["val_mse"], "target_var": tr.target_var, "val_loss": last["val_mse"],
                                         "train_loss": last["train_mse"], "val_r2": last["val_r2"]}))
