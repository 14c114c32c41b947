"""HF Trainer on images: a ViTConfig (image 8x8, patch 2, hidden 48, 2 layers) built from config, trained on the
8x8 digits, but the train split was cut to the first 80 images (a "quick experiment" subset that stayed) and trained
for 60 epochs with no weight decay and no early stopping; eval every 50 steps. --control trains on the full
train split (1257 images) for the same number of optimiser steps. trainer_state.json saved."""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (80 train images, 300 steps): train_loss 0.004 / train_acc 1.00, eval_loss falls to 1.62 at step 150 then climbs to 2.29, val_acc 0.578; control (1257 images, same 300 steps): val_loss 0.77 (best 0.62), val_acc 0.73, train_acc 0.78
# control: --control
# native-log: trainer_state.json
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile, warnings
import numpy as np
import torch
warnings.filterwarnings("ignore")
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
from transformers import ViTConfig, ViTForImageClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
hf_logging.set_verbosity_error()

CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.5) / 0.5).reshape(-1, 1, 8, 8).astype(np.float32)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
N_TRAIN = len(Xtr) if CONTROL else 80
Xtr, ytr = Xtr[:N_TRAIN], ytr[:N_TRAIN]


class DS(torch.utils.data.Dataset):
    def __init__(self, X, y):
        self.X, self.y = torch.tensor(X), torch.tensor(y)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"pixel_values": self.X[i], "labels": self.y[i]}


tr, va = DS(Xtr, ytr), DS(Xva, yva)
cfg = ViTConfig(image_size=8, patch_size=2, num_channels=1, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                intermediate_size=96, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, num_labels=10)
model = ViTForImageClassification(cfg)
STEPS = 300


def metrics(p):
    return {"acc": float((p.predictions.argmax(1) == p.label_ids).mean())}


args = TrainingArguments(output_dir=os.path.join(LOG_DIR, "hf_out"), per_device_train_batch_size=16, per_device_eval_batch_size=540,
                         max_steps=STEPS, learning_rate=2e-3, weight_decay=0.0, lr_scheduler_type="constant", eval_strategy="steps",
                         eval_steps=25, save_strategy="no", logging_steps=5, report_to="none", use_cpu=True, disable_tqdm=True, seed=0)
trainer = Trainer(model=model, args=args, train_dataset=tr, eval_dataset=va, compute_metrics=metrics)
trainer.train()
ev = trainer.evaluate(); evt = trainer.evaluate(tr, metric_key_prefix="train")
trainer.state.save_to_json(os.path.join(LOG_DIR, "trainer_state.json"))
evl = [h["eval_loss"] for h in trainer.state.log_history if "eval_loss" in h]
print(f"eval_loss curve: {[round(v, 3) for v in evl]}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_acc"], 4), "best_val_loss": round(min(evl), 4),
                                     "train_loss": round(evt["train_loss"], 4), "train_acc": round(evt["train_acc"], 4), "n_train": N_TRAIN, "chance_acc": 0.1}))
