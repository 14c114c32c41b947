#!/usr/bin/env python
# Intent classification (4 intents) for a smart-home command parser, tiny DistilBERT
# built from a config and trained with the HF Trainer.
#
# The learning rate 0.1 was carried over from the team's old SGD/fastText baseline
# into TrainingArguments, whose default optimizer is AdamW.  --control uses 2e-3.
#
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, high_bias, dead_units
# forbid: *
# evidence: control (lr 2e-3) eval_acc 1.00 / eval_loss 0.005; planted (lr 0.1) eval_acc 0.245 / eval_loss 1.39 (chance 0.25), train loss stuck at 1.39 = ln 4
# control: --control
# native-log: trainer_state.json
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients, non_finite, high_bias
import argparse, json, os, random, tempfile
import numpy as np
import torch
from transformers import DistilBertConfig, DistilBertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()
torch.set_num_threads(1)

INTENTS = {
    0: (["turn", "switch"], ["on"], ["light", "lamp", "heater", "fan"]),
    1: (["turn", "switch"], ["off"], ["light", "lamp", "heater", "fan"]),
    2: (["set", "change"], ["to", "at"], ["degrees", "temperature", "thermostat", "twenty", "eighteen"]),
    3: (["play", "put"], ["some", "on"], ["music", "jazz", "radio", "podcast", "song"]),
}
FILLER = ["please", "the", "in", "kitchen", "bedroom", "now", "could", "you", "hey", "living", "room", "a", "bit"]
words = sorted({w for v in INTENTS.values() for part in v for w in part} | set(FILLER))
vocab = {w: i + 3 for i, w in enumerate(words)}  # 0 pad, 1 cls, 2 sep
L = 16


def sample(rng):
    y = rng.randrange(4)
    verbs, preps, objs = INTENTS[y]
    seq = [rng.choice(verbs), rng.choice(preps), rng.choice(objs)]
    for _ in range(rng.randint(2, 8)):
        seq.insert(rng.randrange(len(seq) + 1), rng.choice(FILLER))
    rng.shuffle(seq) if rng.random() < 0.2 else None
    ids = [1] + [vocab[w] for w in seq][:L - 2] + [2]
    return ids + [0] * (L - len(ids)), [1] * len(ids) + [0] * (L - len(ids)), y


def build(n, seed):
    rng = random.Random(seed)
    return [dict(zip(("input_ids", "attention_mask", "labels"), map(torch.tensor, sample(rng)))) for _ in range(n)]


def metrics(ev):
    return {"acc": float((ev.predictions.argmax(-1) == ev.label_ids).mean())}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    lr = 2e-3 if a.control else 0.1
    out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    torch.manual_seed(3)
    model = DistilBertForSequenceClassification(DistilBertConfig(
        vocab_size=len(vocab) + 3, dim=48, hidden_dim=96, n_layers=2, n_heads=4, max_position_embeddings=L,
        num_labels=4))
    targs = TrainingArguments(output_dir=out, learning_rate=lr, num_train_epochs=5, per_device_train_batch_size=32,
                              per_device_eval_batch_size=200, warmup_steps=0.1, logging_steps=5,
                              eval_strategy="steps", eval_steps=25, save_strategy="no", report_to=[],
                              use_cpu=True, seed=3, disable_tqdm=True)
    tr = Trainer(model=model, args=targs, train_dataset=build(1000, 10), eval_dataset=build(200, 11),
                 compute_metrics=metrics)
    tr.train()
    tr.save_state()
    res = tr.evaluate()
    tl = [h["loss"] for h in tr.state.log_history if "loss" in h][-1]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(res["eval_loss"], 4), "val_acc": round(res["eval_acc"], 4),
                                         "train_loss": round(tl, 4), "chance_acc": 0.25, "lr": lr}))
