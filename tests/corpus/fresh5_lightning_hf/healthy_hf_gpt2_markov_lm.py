"""Tiny GPT2LMHeadModel (config only) trained as a causal LM with the HF Trainer on sequences
from a sparse first-order Markov source. Cosine-with-warm-up schedule, gradient clipping at 1.0
(Trainer default), eval every 40 steps. trainer_state.json goes to $CORPUS_LOG_DIR.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out eval_loss 1.02 nats/token vs 3.40 for a uniform guess (ln 30) and 0.90 source entropy (val perplexity 2.8); train 1.01
# native-log: trainer_state.json
# log-expect:
# log-allow:
import json
import math
import os
import tempfile
import warnings

import numpy as np
import torch
from torch.utils.data import Dataset
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)

VOCAB, CTX = 30, 24
rng0 = np.random.default_rng(0)
# each token has 3 allowed successors with fixed probabilities
SUCC = rng0.integers(0, VOCAB, (VOCAB, 3))
PROBS = np.array([0.6, 0.3, 0.1])


class MarkovText(Dataset):
    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        seqs = np.zeros((n, CTX), dtype=np.int64)
        seqs[:, :2] = rng.integers(0, VOCAB, (n, 2))
        for t in range(2, CTX):
            choice = rng.choice(3, size=n, p=PROBS)
            seqs[:, t] = SUCC[seqs[:, t - 1], choice]
        self.seqs = torch.from_numpy(seqs)

    def __len__(self):
        return len(self.seqs)

    def __getitem__(self, i):
        return {"input_ids": self.seqs[i], "labels": self.seqs[i]}


def run():
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=VOCAB, n_positions=CTX, n_embd=64, n_layer=2, n_head=4,
                                       resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0))
    out_dir = tempfile.mkdtemp()
    args = TrainingArguments(out_dir, max_steps=170, per_device_train_batch_size=32, learning_rate=3e-3,
                             lr_scheduler_type="cosine", warmup_steps=20, weight_decay=0.01, max_grad_norm=1.0,
                             eval_strategy="steps", eval_steps=40, logging_steps=10, save_strategy="no",
                             report_to="none", disable_tqdm=True, use_cpu=True, seed=0)
    trainer = Trainer(model=model, args=args, train_dataset=MarkovText(3000, 1), eval_dataset=MarkovText(300, 2))
    trainer.train()
    metrics = trainer.evaluate()
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(log_dir, exist_ok=True)
    trainer.state.save_to_json(os.path.join(log_dir, "trainer_state.json"))
    train_loss = trainer.predict(MarkovText(300, 1)).metrics["test_loss"]
    entropy = float(-(PROBS * np.log(PROBS)).sum())
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(metrics["eval_loss"], 4),
                                         "val_ppl": round(math.exp(metrics["eval_loss"]), 3),
                                         "train_loss": round(train_loss, 4),
                                         "uniform_loss": round(math.log(VOCAB), 4),
                                         "source_entropy": round(entropy, 4)}))


if __name__ == "__main__":
    run()
