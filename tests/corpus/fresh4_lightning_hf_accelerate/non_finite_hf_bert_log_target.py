# Predict the (log) number of support tickets a log snippet will trigger, regression
# head on a tiny BERT (config only), HF Trainer.  The target is transformed with
# np.log(count) -- but a fifth of snippets triggered 0 tickets, so those labels are
# -inf and the MSE loss is inf/NaN from the first batch.  --control uses np.log1p.
#
# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: control (log1p) eval_mse 0.055 (target var 0.91); planted (log, 21% zero counts -> -inf labels) eval_loss NaN every epoch, logged train loss 0.0 (HF filters the nan losses), weights NaN
# control: --control
# native-log: trainer_state.json
# log-expect: non_finite
# log-allow: non_convergence
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hlog

hlog.set_verbosity_error()
torch.set_num_threads(1)

LEVELS = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
COMPONENTS = ["db", "auth", "cache", "api", "queue", "disk", "net", "ui"]
VOCAB = ["[PAD]", "[CLS]"] + LEVELS + COMPONENTS + ["timeout", "retry", "ok", "fail", "slow", "restart"]
W2I = {w: i for i, w in enumerate(VOCAB)}
SEV = {"DEBUG": 0, "INFO": 0, "WARN": 0.4, "ERROR": 1.0, "FATAL": 2.0}
N_TOK = 20


def snippets(n, seed):
    rng = np.random.default_rng(seed)
    ids = np.zeros((n, N_TOK), dtype=np.int64)
    counts = np.zeros(n)
    for i in range(n):
        words = ["[CLS]"]
        sev = 0.0
        for _ in range(6):
            lv = rng.choice(LEVELS, p=[0.35, 0.35, 0.15, 0.12, 0.03])
            words += [lv, rng.choice(COMPONENTS), rng.choice(VOCAB[15:])]
            sev += SEV[lv]
        ids[i, :len(words[:N_TOK])] = [W2I[w] for w in words[:N_TOK]]
        counts[i] = np.floor(np.exp(sev * 0.8) - 1 + rng.uniform(0, 1))
    return ids, counts


class TicketSet(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = torch.tensor(ids), torch.tensor(y, dtype=torch.float32)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": (self.ids[i] != 0).long(), "labels": self.y[i]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    transform = np.log1p if args.control else np.log
    tr_ids, tr_c = snippets(1200, 0)
    va_ids, va_c = snippets(300, 1)
    print(f"zero-ticket fraction: {np.mean(tr_c == 0):.2f}")
    with np.errstate(divide="ignore"):
        ytr, yva = transform(tr_c), transform(va_c)
    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(
        vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
        max_position_embeddings=N_TOK, num_labels=1, problem_type="regression"))
    outdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    ta = TrainingArguments(output_dir=outdir, num_train_epochs=5, per_device_train_batch_size=32, learning_rate=3e-3,
                           warmup_steps=10, logging_steps=10, eval_strategy="epoch", per_device_eval_batch_size=300,
                           save_strategy="no", report_to=[], use_cpu=True, seed=0, disable_tqdm=True)
    trainer = Trainer(model=model, args=ta, train_dataset=TicketSet(tr_ids, ytr), eval_dataset=TicketSet(va_ids, yva))
    trainer.train()
    trainer.save_state()
    ev = trainer.evaluate()
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    var = float(np.var(yva[np.isfinite(yva)]))
    print("CORPUS_METRIC " + json.dumps({"val_mse": float(ev["eval_loss"]), "train_loss": float(losses[-1]),
                                         "target_var": round(var, 4)}).replace("NaN", "null").replace("Infinity", "null"))


main()
