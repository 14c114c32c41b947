# expect:
# allow:
# forbid: *
# evidence: eval_loss (MSE) per epoch 0.084, 0.056, 0.049, 0.042, 0.043, 0.039, 0.038, 0.038 of target variance 1.06 (R^2 0.96); train_mse 0.037 = val: no gap
# native-log: hf_ckpt/checkpoint-376/trainer_state.json
# log-expect:
# log-allow:
"""Healthy: Hugging Face Trainer used with a plain nn.Module (a tabular regressor returning
{"loss", "logits"}) for a synthetic "delivery time" regression; save_strategy="epoch" with
save_total_limit=1, so the user's run directory holds checkpoint-<step>/trainer_state.json
(log_history with loss / grad_norm / learning_rate every 10 steps and eval_loss / eval_rmse
every epoch, plus best_metric / best_model_checkpoint). AdamW lr 2e-3, cosine schedule,
weight decay, 8 epochs. Target standardised (variance ~1). Nothing planted."""
import os, sys, json, math, tempfile, warnings
warnings.filterwarnings("ignore")
os.environ["WANDB_DISABLED"] = "true"
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
from transformers import Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error()
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
torch.manual_seed(24)
rng = np.random.default_rng(24)

def make(n):
    dist = rng.gamma(2.0, 2.5, n); items = rng.integers(1, 12, n); hour = rng.integers(0, 24, n); rain = (rng.random(n) < 0.2).astype(float)
    courier = rng.normal(0, 1, n); traffic = np.exp(-((hour - 8) ** 2) / 6) + np.exp(-((hour - 17.5) ** 2) / 6)
    t = 8 + 3.2 * dist * (1 + 0.6 * traffic) + 0.8 * items + 6 * rain + 2 * courier + rng.normal(0, 1.5, n)
    x = np.stack([(dist - 5) / 3.5, (items - 6) / 3.2, np.sin(2 * np.pi * hour / 24), np.cos(2 * np.pi * hour / 24), rain * 2 - 1, courier], 1)
    return x.astype("float32"), t.astype("float32")
xtr, ttr = make(3000); xva, tva = make(800)
mu, sd = ttr.mean(), ttr.std(); ttr = (ttr - mu) / sd; tva = (tva - mu) / sd
class DS(torch.utils.data.Dataset):
    def __init__(self, x, y): self.x, self.y = torch.tensor(x), torch.tensor(y)
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return {"x": self.x[i], "labels": self.y[i]}
class Regressor(nn.Module):
    def __init__(self):
        super().__init__(); self.f = nn.Sequential(nn.Linear(6, 128), nn.GELU(), nn.Linear(128, 64), nn.GELU(), nn.Linear(64, 1))
    def forward(self, x, labels=None):
        out = self.f(x).squeeze(-1)
        return {"loss": F.mse_loss(out, labels), "logits": out} if labels is not None else {"logits": out}
def metrics(p):
    return {"rmse": float(np.sqrt(((p.predictions - p.label_ids) ** 2).mean()))}
args = TrainingArguments(output_dir=os.path.join(LOGDIR, "hf_ckpt"), num_train_epochs=8, per_device_train_batch_size=64, per_device_eval_batch_size=400,
                         learning_rate=2e-3, lr_scheduler_type="cosine", warmup_steps=20, weight_decay=0.01, eval_strategy="epoch",
                         save_strategy="epoch", save_total_limit=1, logging_steps=10, report_to="none", use_cpu=True, seed=24,
                         disable_tqdm=True, metric_for_best_model="eval_loss", greater_is_better=False)
trainer = Trainer(model=Regressor(), args=args, train_dataset=DS(xtr, ttr), eval_dataset=DS(xva, tva), compute_metrics=metrics)
trainer.train()
ev = trainer.evaluate(); tev = trainer.evaluate(DS(xtr, ttr), metric_key_prefix="train")
print(sorted(os.listdir(os.path.join(LOGDIR, "hf_ckpt"))))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(ev["eval_loss"], 4), "train_mse": round(tev["train_loss"], 4), "target_var": round(float(tva.var()), 4)}))
