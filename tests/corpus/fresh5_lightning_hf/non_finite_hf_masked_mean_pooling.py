"""Text classifier = embedding + GRU + masked mean pooling, as a custom nn.Module trained by
the HF Trainer. Pooling divides the masked sum by the number of real tokens, but the scraped
data contains empty documents (all padding) after cleaning; for those rows the division is
0/0 = NaN, which reaches the loss, the clipped gradients and then every weight.
trainer_state.json in $CORPUS_LOG_DIR.

--control clamps the token count to >= 1 (the usual guard), nothing else changes.
"""
# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: control (clamp) val_acc 0.965, eval_loss 0.09; planted: grad_norm NaN from the first logged step, eval_loss NaN, val_acc 0.50 (chance 0.5)
# control: --control
# native-log: trainer_state.json
# log-expect: non_finite
# log-allow: non_convergence, exploding_gradients
import argparse, json, math, os, tempfile, warnings

import numpy as np
import torch
import torch.nn as nn
from transformers import Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
CONTROL = ap.parse_args().control
PAD, V, T = 0, 50, 20
POS_WORDS, NEG_WORDS = set(range(2, 8)), set(range(8, 14))


def docs(n, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        length = 0 if rng.random() < 0.03 else int(rng.integers(4, T + 1))  # ~3% empty after cleaning
        ids = rng.integers(14, V, length)
        label = int(rng.integers(0, 2))
        k = min(length, int(rng.integers(1, 4)))
        if k:
            words = list(POS_WORDS if label else NEG_WORDS)
            ids[rng.choice(length, k, replace=False)] = rng.choice(words, k)
        padded = np.full(T, PAD)
        padded[:length] = ids
        rows.append({"input_ids": torch.tensor(padded), "attention_mask": torch.tensor((padded != PAD).astype(np.int64)),
                     "labels": label})
    return rows


class GRUPoolClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32, padding_idx=PAD)
        self.rnn = nn.GRU(32, 48, batch_first=True)
        self.head = nn.Linear(48, 2)

    def forward(self, input_ids, attention_mask, labels=None):
        h, _ = self.rnn(self.emb(input_ids))
        m = attention_mask.unsqueeze(-1).float()
        count = m.sum(1)
        if CONTROL:
            count = count.clamp(min=1.0)
        pooled = (h * m).sum(1) / count
        logits = self.head(pooled)
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = nn.functional.cross_entropy(logits, labels)
        return out


def acc(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}


torch.manual_seed(0)
tr, va = docs(2000, 0), docs(400, 1)
args = TrainingArguments(output_dir=tempfile.mkdtemp(), max_steps=150, per_device_train_batch_size=32,
                         learning_rate=3e-3, warmup_steps=10, eval_strategy="steps", eval_steps=25,
                         logging_steps=5, save_strategy="no", report_to="none", disable_tqdm=True,
                         use_cpu=True, seed=0)
trainer = Trainer(model=GRUPoolClassifier(), args=args, train_dataset=tr, eval_dataset=va, compute_metrics=acc)
trainer.train()
ev = trainer.evaluate()
d = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(d, exist_ok=True)
trainer.state.save_to_json(os.path.join(d, "trainer_state.json"))
tl = trainer.predict(tr[:400]).metrics["test_loss"]


print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                     "train_loss": round(tl, 4), "chance_acc": 0.5}))
