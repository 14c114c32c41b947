# expect:
# allow:
# forbid: *
# evidence: tiny BERT token tagging, label smoothing 0.1: val token acc 1.000, negated-keyword recall 1.000; smoothed val loss 0.294 = the smoothing floor (~0.29), train 0.294
# native-log: tb
# log-expect:
# log-allow:
"""HF Trainer, tiny BertForTokenClassification from a config (no download). Tagging task on generated
sequences: keyword tokens (ids 7-11) are tagged 2, or 1 when the sequence contains the "negation"
token 3 anywhere; other tokens 0 (so tags need context, not just the token id). label_smoothing_factor=0.1, eval every 30
steps, linear decay with warm-up, report_to="tensorboard" (TENSORBOARD_LOGGING_DIR)."""
import os
import json
import tempfile
import warnings

import numpy as np
import torch
from torch.utils.data import Dataset

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hftok_")
os.environ["TENSORBOARD_LOGGING_DIR"] = os.path.join(LOG_DIR, "tb")

from transformers import BertConfig, BertForTokenClassification, Trainer, TrainingArguments, set_seed  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)
set_seed(4)
V, L = 40, 20


class Tagging(Dataset):
    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        ids = rng.integers(4, V, size=(n, L))
        neg = rng.random(n) < 0.5  # half the sequences carry the "negation" token 3 somewhere
        ids[neg, rng.integers(0, L, size=int(neg.sum()))] = 3
        kw = (ids >= 7) & (ids <= 11)
        tags = np.zeros((n, L), dtype=np.int64)
        tags[kw] = 2
        tags[kw & neg[:, None]] = 1
        self.ids, self.tags = torch.tensor(ids), torch.tensor(tags)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long), "labels": self.tags[i]}


def token_metrics(p):
    pred, lab = p.predictions.argmax(-1), p.label_ids
    out = {"token_acc": float((pred == lab).mean())}
    out["negated_kw_recall"] = float((pred[lab == 1] == 1).mean())
    return out


def main():
    cfg = BertConfig(vocab_size=V, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=96, max_position_embeddings=32, num_labels=3,
                     hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    model = BertForTokenClassification(cfg)
    train_ds, val_ds = Tagging(1600, 0), Tagging(400, 1)
    args = TrainingArguments(
        output_dir=os.path.join(LOG_DIR, "tok_out"),
        num_train_epochs=6, per_device_train_batch_size=32, per_device_eval_batch_size=200,
        learning_rate=3e-3, warmup_steps=20, lr_scheduler_type="linear", weight_decay=0.01,
        label_smoothing_factor=0.1, eval_strategy="steps", eval_steps=30, logging_steps=10,
        save_strategy="no", report_to="tensorboard", disable_tqdm=True, seed=4, use_cpu=True,
    )
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds, compute_metrics=token_metrics)
    trainer.train()
    ev = trainer.evaluate()
    last_train_loss = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
    print("CORPUS_METRIC " + json.dumps({
        "val_loss_smoothed": round(ev["eval_loss"], 4), "val_token_acc": round(ev["eval_token_acc"], 4),
        "val_negated_kw_recall": round(ev["eval_negated_kw_recall"], 4), "train_loss_smoothed": round(last_train_loss, 4),
        "majority_tag_rate": round(float((val_ds.tags == 0).float().mean()), 4)}))


if __name__ == "__main__":
    main()
