# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (warmup_steps=2000, peak lr reached 1.5e-4) val_loss 2.495, next-token acc 0.37; control (warmup_steps=15, lr reaches 1.9e-3) val_loss 0.896, next-token acc 0.75 (uniform: loss 3.47, acc 0.03)
# control: --control
# native-log: gpt2_lm/trainer_state.json
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
"""Tiny GPT-2 (GPT2LMHeadModel from a GPT2Config) trained as a causal LM on synthetic 'counting'
sequences: start s, stride d in {1,2,3}, tokens (s + i*d) mod 32 -- after two tokens the rest is
predictable. The TrainingArguments were copied from a pre-training config: warmup_steps=2000 with
the default linear schedule, but this run only has ~150 optimizer steps, so the learning rate
never gets past 7% of its nominal 2e-3 (it ends at ~1.5e-4 and is still ramping) and the model
learns far too slowly. --control: warmup_steps=15 (10% of the run), nothing else changed.
"""
import argparse
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()

V, SEQ = 32, 12


class CountDataset(torch.utils.data.Dataset):
    def __init__(self, n, rng):
        self.items = []
        for _ in range(n):
            s, d = int(rng.integers(V)), int(rng.integers(1, 4))
            ids = torch.tensor([(s + i * d) % V for i in range(SEQ)], dtype=torch.long)
            self.items.append({"input_ids": ids, "labels": ids.clone()})

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def compute_metrics(p):
    # next-token accuracy on positions whose next token is determined (from the 3rd on)
    logits = p.predictions[0] if isinstance(p.predictions, tuple) else p.predictions
    pred = logits[:, 1:-1].argmax(-1)
    return {"next_tok_acc": float((pred == p.label_ids[:, 2:]).mean())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(5)
    rng = np.random.default_rng(5)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="gpt2lm_")
    out_dir = os.path.join(log_dir, "gpt2_lm")

    train_ds, val_ds = CountDataset(800, rng), CountDataset(200, rng)
    cfg = GPT2Config(vocab_size=V, n_positions=SEQ, n_embd=48, n_layer=2, n_head=4,
                     bos_token_id=0, eos_token_id=0)
    model = GPT2LMHeadModel(cfg)

    warmup = 15 if a.control else 2000
    args = TrainingArguments(
        output_dir=out_dir, num_train_epochs=6, per_device_train_batch_size=32,
        per_device_eval_batch_size=200, learning_rate=2e-3, warmup_steps=warmup, weight_decay=0.01,
        eval_strategy="epoch", logging_steps=5, save_strategy="no", report_to="none",
        use_cpu=True, seed=5, disable_tqdm=True)
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                      compute_metrics=compute_metrics)
    trainer.train()
    trainer.state.save_to_json(os.path.join(out_dir, "trainer_state.json"))

    ev = trainer.evaluate(val_ds)
    tr = trainer.evaluate(train_ds, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(ev["eval_loss"], 4), "val_next_tok_acc": round(ev["eval_next_tok_acc"], 4),
        "train_loss": round(tr["train_loss"], 4), "chance_loss_uniform": round(float(np.log(V)), 4),
        "chance_acc": round(1 / V, 4), "peak_lr_reached": max(h.get("learning_rate", 0) for h in trainer.state.log_history)}))


if __name__ == "__main__":
    main()
