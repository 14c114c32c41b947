# expect:
# allow:
# forbid: *
# evidence: eval_loss 3.46 (first logged train loss) -> 0.853 final, Bayes-optimal loss 0.804, uniform 3.69; train_loss 0.859 (no gap)
# native-log: trainer_state.json
# log-expect:
# log-allow:
"""Causal LM: a 2-layer GPT-2 (from GPT2Config, no download) learns a synthetic
language. Each "sentence" is a sequence of counting runs: a start token s followed by
s+1, s+2, ... (mod 40), with occasional random restarts, so the next token is mostly
predictable from the previous one. Trainer with cosine schedule, eval every 40 steps."""
import json
import math
import os
import tempfile

import numpy as np
import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments

torch.set_num_threads(1)

VOCAB = 40
BOS = 0
CTX = 24
RESTART_P = 0.1


def sample_corpus(n, seed):
    g = np.random.default_rng(seed)
    out = np.empty((n, CTX), dtype=np.int64)
    for i in range(n):
        tok = g.integers(1, VOCAB)
        out[i, 0] = BOS
        for j in range(1, CTX):
            out[i, j] = tok
            tok = g.integers(1, VOCAB) if g.random() < RESTART_P else (tok % (VOCAB - 1)) + 1
    return out


class LMData(torch.utils.data.Dataset):
    def __init__(self, arr):
        self.arr = torch.from_numpy(arr)

    def __len__(self):
        return self.arr.shape[0]

    def __getitem__(self, i):
        x = self.arr[i]
        return {"input_ids": x, "attention_mask": torch.ones_like(x), "labels": x.clone()}


def main():
    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="gpt2_")
    os.makedirs(logdir, exist_ok=True)
    train, val = LMData(sample_corpus(1200, 0)), LMData(sample_corpus(150, 1))

    cfg = GPT2Config(vocab_size=VOCAB, n_positions=CTX, n_embd=32, n_layer=2, n_head=2,
                     n_inner=64, bos_token_id=BOS, eos_token_id=BOS)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(cfg)

    args = TrainingArguments(
        output_dir=os.path.join(logdir, "gpt2_out"),
        num_train_epochs=4,
        per_device_train_batch_size=24,
        per_device_eval_batch_size=75,
        learning_rate=3e-3,
        weight_decay=0.01,
        warmup_steps=20,
        lr_scheduler_type="cosine",
        logging_steps=10,
        eval_strategy="steps",
        eval_steps=40,
        report_to=[],
        save_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
        seed=0,
    )
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=val)
    trainer.train()
    trainer.state.save_to_json(os.path.join(logdir, "trainer_state.json"))

    ev = trainer.evaluate()
    tr = trainer.evaluate(LMData(sample_corpus(150, 0)), metric_key_prefix="train")
    # Bayes-optimal per-token loss: after the first token, next = successor w.p. 0.9 (+0.1/39),
    # otherwise uniform over 39; the first token is uniform over 39.
    p_succ = (1 - RESTART_P) + RESTART_P / (VOCAB - 1)
    p_other = RESTART_P / (VOCAB - 1)
    h_step = -(p_succ * math.log(p_succ) + (VOCAB - 2) * p_other * math.log(p_other))
    bayes = (math.log(VOCAB - 1) + (CTX - 2) * h_step) / (CTX - 1)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(ev["eval_loss"], 4), "train_loss": round(tr["train_loss"], 4),
        "val_ppl": round(math.exp(ev["eval_loss"]), 3), "bayes_loss": round(bayes, 4),
        "uniform_loss": round(math.log(VOCAB), 4)}))


if __name__ == "__main__":
    main()
