# expect:
# allow:
# forbid: *
# evidence: tiny GPT-2 LM on modular progressions: next-token acc from position 2 = 0.993, eval loss 0.235 (uniform 3.47, irreducible floor 0.092), train loss 0.233
# native-log: lm_out/trainer_state.json
# log-expect:
# log-allow:
"""HF Trainer, tiny GPT2LMHeadModel from a config (no download), causal LM on generated sequences:
each sequence is an arithmetic progression mod 32 with a random start and a random step in {1,2,3,5}.
After two tokens the rest is determined, so the held-out next-token accuracy from position 2 on
should approach 1. gradient_accumulation_steps=2, warm-up + cosine, weight_decay, eval every epoch."""
import os
import json
import math
import tempfile
import warnings

import numpy as np
import torch
from torch.utils.data import Dataset

from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments, set_seed
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)
set_seed(2)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hflm_")
V, L = 32, 16
STEPS = np.array([1, 2, 3, 5])


class Progressions(Dataset):
    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        start = rng.integers(0, V, size=(n, 1))
        step = STEPS[rng.integers(0, len(STEPS), size=(n, 1))]
        self.ids = torch.tensor((start + step * np.arange(L)[None, :]) % V, dtype=torch.long)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.ids[i]}


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def next_token_acc(p):
    pred, lab = p.predictions[:, :-1], p.label_ids[:, 1:]
    return {"acc_from_pos2": float((pred[:, 1:] == lab[:, 1:]).mean())}


def main():
    cfg = GPT2Config(vocab_size=V, n_positions=L, n_embd=48, n_layer=2, n_head=4,
                     resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    model = GPT2LMHeadModel(cfg)
    train_ds, val_ds = Progressions(2000, 0), Progressions(400, 1)
    args = TrainingArguments(
        output_dir=os.path.join(LOG_DIR, "lm_out"),
        num_train_epochs=4, per_device_train_batch_size=16, gradient_accumulation_steps=2,
        per_device_eval_batch_size=200, learning_rate=3e-3, warmup_steps=0.1, lr_scheduler_type="cosine",
        weight_decay=0.1, eval_strategy="epoch", logging_steps=10, save_strategy="no",
        report_to="none", disable_tqdm=True, seed=2, use_cpu=True,
    )
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                      compute_metrics=next_token_acc, preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    trainer.save_state()
    ev = trainer.evaluate()
    last_train_loss = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
    # irreducible loss: token 1 is one of len(STEPS) equally likely values given token 0; the other
    # L-2 predicted tokens are determined. Mean over the L-1 predicted positions:
    floor = math.log(len(STEPS)) / (L - 1)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(ev["eval_loss"], 4), "val_acc_from_pos2": round(ev["eval_acc_from_pos2"], 4),
        "train_loss": round(last_train_loss, 4), "val_loss_floor": round(floor, 4),
        "uniform_loss": round(math.log(V), 4)}))


if __name__ == "__main__":
    main()
