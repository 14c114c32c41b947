"""HF Trainer driving a plain nn.Module (no transformers model): a residual MLP for 6-class
tabular data whose forward returns {"loss", "logits"}. Optimizer and scheduler are passed in
explicitly (RMSprop + one-cycle). Logged to TensorBoard via report_to="tensorboard"
(TENSORBOARD_LOGGING_DIR -> $CORPUS_LOG_DIR/tb).
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.83 (chance 0.167), eval_loss 0.45, train loss 0.41
# native-log: tb
# log-expect:
# log-allow:
import json, os, tempfile, warnings

import numpy as np
import torch
import torch.nn as nn
from transformers import Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.environ["TENSORBOARD_LOGGING_DIR"] = os.path.join(LOG_DIR, "tb")


class ResBlock(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Dropout(0.1), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class TabularResNet(nn.Module):
    def __init__(self, d_in=16, d=64, n_cls=6):
        super().__init__()
        self.inp = nn.Linear(d_in, d)
        self.blocks = nn.Sequential(ResBlock(d), ResBlock(d))
        self.out = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, n_cls))
        self.loss = nn.CrossEntropyLoss()

    def forward(self, features, labels=None):
        logits = self.out(self.blocks(self.inp(features)))
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = self.loss(logits, labels)
        return out


def gen(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 16)).astype(np.float32)
    W = np.random.default_rng(77).normal(size=(16, 6))
    score = x @ W + 1.5 * np.sin(x[:, [0, 1, 2, 3, 4, 5]] * 2)
    y = (score + rng.gumbel(size=score.shape) * 0.35).argmax(1)
    return [{"features": torch.from_numpy(a), "labels": int(b)} for a, b in zip(x, y)]


def acc(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}


torch.manual_seed(0)
train_set, val_set = gen(3000, 0), gen(600, 1)
model = TabularResNet()
steps = 300
opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-3, total_steps=steps)
args = TrainingArguments(output_dir=tempfile.mkdtemp(), max_steps=steps, per_device_train_batch_size=48,
                         eval_strategy="steps", eval_steps=50, logging_steps=10, save_strategy="no",
                         report_to="tensorboard", disable_tqdm=True, use_cpu=True, seed=0,
                         label_names=["labels"])
trainer = Trainer(model=model, args=args, train_dataset=train_set, eval_dataset=val_set,
                  optimizers=(opt, sched), compute_metrics=acc)
trainer.train()
ev = trainer.evaluate()
tr = trainer.predict(train_set[:600]).metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                     "train_loss": round(tr["test_loss"], 4), "chance_acc": 0.1667}))
