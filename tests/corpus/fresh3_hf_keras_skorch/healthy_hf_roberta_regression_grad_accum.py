# expect:
# allow:
# forbid: *
# evidence: val_mse 0.022 vs target variance 0.694 (R^2 0.97; noise var 0.01); train_mse 0.019
# native-log: roberta_reg/trainer_state.json
# log-expect:
# log-allow:
"""Regression head (RobertaForSequenceClassification with num_labels=1 -> MSE loss) on a tiny
RoBERTa built from a RobertaConfig. Synthetic 'review score': tokens 2-7 are positive words,
8-13 negative, the target is (#pos - #neg)/2 plus a little noise (targets roughly standardised,
as one would). Effective batch 64 via per_device_train_batch_size=32 and
gradient_accumulation_steps=2, linear schedule with a short warm-up, max_grad_norm=1.0.
"""
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from transformers import RobertaConfig, RobertaForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()

VOCAB, SEQ = 60, 14
PAD, BOS = 1, 0
POS, NEG = list(range(2, 8)), list(range(8, 14))


class ScoreDataset(torch.utils.data.Dataset):
    def __init__(self, n, rng):
        self.items, self.y = [], []
        for _ in range(n):
            ids = rng.integers(14, VOCAB, size=SEQ - 1)
            npos, nneg = rng.integers(0, 4), rng.integers(0, 4)
            slots = rng.choice(SEQ - 1, size=npos + nneg, replace=False)
            ids[slots[:npos]] = rng.choice(POS, size=npos)
            ids[slots[npos:]] = rng.choice(NEG, size=nneg)
            y = (npos - nneg) / 2.0 + 0.1 * rng.standard_normal()
            self.y.append(y)
            self.items.append({"input_ids": torch.tensor([BOS] + list(ids), dtype=torch.long),
                               "attention_mask": torch.ones(SEQ, dtype=torch.long),
                               "labels": torch.tensor(y, dtype=torch.float32)})
        self.y = np.array(self.y)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def compute_metrics(p):
    pred = p.predictions.reshape(-1)
    return {"mse": float(((pred - p.label_ids) ** 2).mean())}


def main():
    torch.set_num_threads(1)
    torch.manual_seed(2)
    rng = np.random.default_rng(2)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="robreg_")
    out_dir = os.path.join(log_dir, "roberta_reg")

    train_ds, val_ds = ScoreDataset(768, rng), ScoreDataset(300, rng)
    cfg = RobertaConfig(vocab_size=VOCAB, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=96, max_position_embeddings=SEQ + 2, num_labels=1,
                        pad_token_id=PAD, bos_token_id=BOS, eos_token_id=2, type_vocab_size=1)
    model = RobertaForSequenceClassification(cfg)

    args = TrainingArguments(
        output_dir=out_dir, num_train_epochs=8, per_device_train_batch_size=32,
        gradient_accumulation_steps=2, per_device_eval_batch_size=300, learning_rate=3e-3,
        warmup_steps=10, max_grad_norm=1.0, weight_decay=0.01, eval_strategy="epoch",
        logging_steps=4, save_strategy="no", report_to="none", use_cpu=True, seed=2, disable_tqdm=True)
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                      compute_metrics=compute_metrics)
    trainer.train()
    trainer.state.save_to_json(os.path.join(out_dir, "trainer_state.json"))

    ev = trainer.evaluate(val_ds)
    tr = trainer.evaluate(train_ds, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({
        "val_mse": round(ev["eval_mse"], 4), "train_mse": round(tr["train_mse"], 4),
        "target_var": round(float(val_ds.y.var()), 4), "noise_var": 0.01}))


if __name__ == "__main__":
    main()
