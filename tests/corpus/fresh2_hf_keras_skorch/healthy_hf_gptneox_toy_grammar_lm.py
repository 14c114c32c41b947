# expect:
# allow:
# forbid: *
# evidence: eval_loss 2.01 (ppl 7.5) vs the grammar's true entropy floor ~1.94 nats/token (computed by hand from the generator) and the unigram baseline 3.44; train 2.01 = eval 2.01, no gap
# native-log: trainer_state.json
# log-expect:
# log-allow:
"""Causal LM pre-training of a tiny GPT-NeoX on a synthetic "grammar".

Sentences come from a small stochastic grammar (subject -> verb -> object -> '.' with agreement
between subject and verb classes), so the achievable next-token loss is well above zero; the
model should get close to that floor and far below the unigram baseline. Linear warm-up + linear
decay, gradient accumulation, label smoothing off, weight decay on.
"""
import json
import math
import os
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(0)

from transformers import GPTNeoXConfig, GPTNeoXForCausalLM, Trainer, TrainingArguments, set_seed

set_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_neox_")
os.makedirs(LOG_DIR, exist_ok=True)

# vocabulary: 0 bos, 1 '.', 2-9 singular nouns, 10-17 plural nouns, 18-23 sg verbs, 24-29 pl verbs,
# 30-39 objects, 40-43 adjectives
BOS, DOT = 0, 1
SG_N, PL_N = np.arange(2, 10), np.arange(10, 18)
SG_V, PL_V = np.arange(18, 24), np.arange(24, 30)
OBJ, ADJ = np.arange(30, 40), np.arange(40, 44)
VOCAB, SEQ = 48, 32


def sentence(rng):
    plural = rng.random() < 0.5
    s = []
    if rng.random() < 0.4:
        s.append(rng.choice(ADJ))
    s.append(rng.choice(PL_N if plural else SG_N))
    s.append(rng.choice(PL_V if plural else SG_V))
    if rng.random() < 0.4:
        s.append(rng.choice(ADJ))
    s.append(rng.choice(OBJ))
    s.append(DOT)
    return s


def make_split(n, rng):
    out = np.empty((n, SEQ), dtype=np.int64)
    for i in range(n):
        toks = [BOS]
        while len(toks) < SEQ:
            toks += sentence(rng)
        out[i] = toks[:SEQ]
    return out


class LMDataset(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = torch.as_tensor(ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.ids[i].clone()}


rng = np.random.default_rng(0)
train_ids, eval_ids = make_split(1200, rng), make_split(200, rng)
counts = np.bincount(train_ids[:, 1:].ravel(), minlength=VOCAB) + 1
unigram_loss = float(-(np.log(counts / counts.sum())[eval_ids[:, 1:]]).mean())

config = GPTNeoXConfig(vocab_size=VOCAB, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                       intermediate_size=96, max_position_embeddings=64, rotary_pct=0.5,
                       bos_token_id=BOS, eos_token_id=DOT, pad_token_id=DOT,
                       use_cache=False, tie_word_embeddings=False)
model = GPTNeoXForCausalLM(config)


def compute_metrics(pred):
    logits, labels = pred
    shift_logits, shift_labels = logits[:, :-1], labels[:, 1:]
    acc = (shift_logits.argmax(-1) == shift_labels).mean()
    return {"next_token_acc": float(acc)}


args = TrainingArguments(
    output_dir=LOG_DIR,
    num_train_epochs=4,
    per_device_train_batch_size=16,
    gradient_accumulation_steps=2,
    per_device_eval_batch_size=100,
    learning_rate=2e-3,
    warmup_steps=15,
    lr_scheduler_type="linear",
    weight_decay=0.1,
    adam_beta2=0.98,
    max_grad_norm=1.0,
    eval_strategy="steps",
    eval_steps=25,
    logging_steps=5,
    save_strategy="no",
    report_to=[],
    use_cpu=True,
    seed=0,
    disable_tqdm=True,
)
trainer = Trainer(model=model, args=args, train_dataset=LMDataset(train_ids),
                  eval_dataset=LMDataset(eval_ids), compute_metrics=compute_metrics)
trainer.train()
trainer.save_state()
ev = trainer.evaluate()
last_train = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
metric = {"val_loss": round(ev["eval_loss"], 4), "val_ppl": round(math.exp(ev["eval_loss"]), 3),
          "val_next_token_acc": round(ev["eval_next_token_acc"], 4),
          "train_loss": round(float(last_train), 4), "unigram_val_loss": round(unigram_loss, 4),
          "entropy_floor": 1.942}  # 9.322 nats per sentence / 4.8 tokens per sentence
print("CORPUS_METRIC " + json.dumps(metric))
