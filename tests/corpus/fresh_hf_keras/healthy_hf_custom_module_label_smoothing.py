# expect:
# allow:
# forbid: *
# evidence: val_acc 0.93 (chance 0.33), eval_loss (smoothed) falls every epoch 0.482 -> 0.440; train loss 0.40 sits near the label-smoothing floor (0.29 for eps=0.1, 3 classes), not a fitting problem
# native-log: trainer_state.json
# log-expect:
# log-allow:
"""A plain nn.Module (no PreTrainedModel) trained with the HF Trainer on a 3-class tabular
problem: label smoothing 0.1 (so the train loss floors well above 0), cosine schedule with
warm-up, small per-device batches with gradient accumulation, eval every epoch."""
import json
import os
import tempfile
from types import SimpleNamespace

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
from transformers import Trainer, TrainingArguments, set_seed  # noqa: E402

set_seed(11)
OUT = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_tabular_ls_")
os.makedirs(OUT, exist_ok=True)

N_FEAT, N_CLS = 12, 3
rng = np.random.default_rng(11)
W_true = rng.normal(size=(N_FEAT, N_CLS))


def make_split(n):
    x = rng.normal(size=(n, N_FEAT)).astype(np.float32)
    logits = x @ W_true + 0.6 * np.sin(2.0 * x[:, :N_CLS])
    y = logits.argmax(1)
    return [{"features": torch.from_numpy(x[i]), "labels": int(y[i])} for i in range(n)]


train_rows, val_rows = make_split(2400), make_split(400)


class TabularNet(nn.Module):
    def __init__(self):
        super().__init__()
        # transformers 5's Trainer peeks at model.config when label smoothing is on
        self.config = SimpleNamespace(problem_type="single_label_classification")
        self.body = nn.Sequential(nn.Linear(N_FEAT, 64), nn.GELU(), nn.LayerNorm(64),
                                  nn.Linear(64, 64), nn.GELU(), nn.Linear(64, N_CLS))

    def forward(self, features, labels=None):
        logits = self.body(features)
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = nn.functional.cross_entropy(logits, labels)
        return out


def compute_metrics(pred):
    logits, labels = pred
    return {"accuracy": float((logits.argmax(-1) == labels).mean())}


args = TrainingArguments(
    output_dir=OUT,
    num_train_epochs=6,
    per_device_train_batch_size=8,
    gradient_accumulation_steps=4,
    per_device_eval_batch_size=200,
    learning_rate=3e-3,
    warmup_steps=20,
    lr_scheduler_type="cosine",
    label_smoothing_factor=0.1,
    eval_strategy="epoch",
    logging_steps=10,
    save_strategy="no",
    label_names=["labels"],
    report_to=[],
    use_cpu=True,
    disable_tqdm=True,
    seed=11,
)
trainer = Trainer(model=TabularNet(), args=args, train_dataset=train_rows, eval_dataset=val_rows,
                  compute_metrics=compute_metrics)
trainer.train()
trainer.save_state()
final = trainer.evaluate()
last_train_loss = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(final["eval_loss"], 4), "val_acc": round(final["eval_accuracy"], 4),
    "train_loss": round(last_train_loss, 4), "chance_acc": round(1 / N_CLS, 4)}))
