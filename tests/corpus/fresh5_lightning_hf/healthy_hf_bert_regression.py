"""Sentence-level regression with a tiny BertForSequenceClassification(num_labels=1), so the
Trainer uses MSE. Target: a "sentiment score" = sum of per-word scores with a negation word
flipping the sign of what follows, standardised. Cosine schedule with warm-up ratio, eval every
50 steps. trainer_state.json goes to $CORPUS_LOG_DIR.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_mse 0.126 against target variance 1.07 (R^2 ~0.88); train_mse 0.103
# native-log: trainer_state.json
# log-expect:
# log-allow:
import json, os, tempfile, warnings

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)

V, T = 32, 12
WORD_SCORE = np.random.default_rng(100).normal(0, 1, V)
WORD_SCORE[:3] = 0.0
NOT = 2


def build(n, seed, stats=None):
    rng = np.random.default_rng(seed)
    ids = rng.integers(3, V, (n, T))
    has_not = rng.random(n) < 0.15
    pos = rng.integers(1, T - 2, n)
    ids[has_not, pos[has_not]] = NOT
    ids[:, 0] = 1  # [CLS]
    sign = np.ones((n, T))
    for i in np.where(has_not)[0]:
        sign[i, pos[i] + 1:] = -1
    y = (WORD_SCORE[ids] * sign).sum(1) / np.sqrt(T)
    if stats is None:
        stats = (y.mean(), y.std())
    y = (y - stats[0]) / stats[1]
    return [{"input_ids": torch.tensor(r), "labels": torch.tensor(t, dtype=torch.float32)}
            for r, t in zip(ids, y)], stats


train, st = build(2400, 0)
val, _ = build(500, 1, st)

torch.manual_seed(1)
config = BertConfig(vocab_size=V, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                    intermediate_size=128, max_position_embeddings=T, num_labels=1,
                    hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
model = BertForSequenceClassification(config)

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)
targs = TrainingArguments(output_dir=tempfile.mkdtemp(), max_steps=240, per_device_train_batch_size=32,
                          learning_rate=2e-3, warmup_steps=0.1, lr_scheduler_type="cosine", weight_decay=0.0,
                          eval_strategy="steps", eval_steps=50, logging_steps=10, save_strategy="no",
                          report_to="none", disable_tqdm=True, use_cpu=True, seed=1)
trainer = Trainer(model=model, args=targs, train_dataset=train, eval_dataset=val)
trainer.train()
ev = trainer.evaluate()
trainer.state.save_to_json(os.path.join(logdir, "trainer_state.json"))
tr = trainer.predict(train[:500]).metrics
yv = np.array([d["labels"].item() for d in val])
print("CORPUS_METRIC " + json.dumps({"val_mse": round(ev["eval_loss"], 4), "target_var": round(float(yv.var()), 4),
                                     "train_mse": round(tr["test_loss"], 4), "val_loss": round(ev["eval_loss"], 4),
                                     "train_loss": round(tr["test_loss"], 4)}))
