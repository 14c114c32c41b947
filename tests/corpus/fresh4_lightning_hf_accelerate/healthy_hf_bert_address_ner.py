"""Token classification: tag the parts of synthetic postal addresses
(NUM / STREET / SUFFIX / CITY / ZIP / O) with a tiny BertForTokenClassification
built from a config and the HF Trainer.  Padding positions get label -100.
Label smoothing via TrainingArguments, linear warm-up/decay, eval per epoch."""
# expect:
# allow:
# forbid: *
# evidence: token accuracy 0.999 on 300 held-out addresses (majority-tag baseline 0.36); eval_loss 0.426 and train loss 0.428 sit at the label-smoothing (0.1, 6 tags) floor of ~0.42
# native-log: trainer_state.json
# log-expect:
# log-allow:
import json, os, random, tempfile
import numpy as np
import torch
from transformers import BertConfig, BertForTokenClassification, Trainer, TrainingArguments
from transformers.utils import logging

logging.set_verbosity_error()
torch.set_num_threads(1)

TAGS = ["O", "NUM", "STREET", "SUFFIX", "CITY", "ZIP"]
STREETS = ["oak", "maple", "main", "church", "park", "hill", "lake", "mill", "king", "queen"]
SUFFIX = ["st", "ave", "rd", "blvd", "lane"]
CITIES = ["springfield", "riverton", "fairview", "kingston", "salem", "clinton", "madison"]
FILL = ["attn", "to", "ship", "deliver", "at", "please", "c/o", "apt", "unit", "floor"]
DIGITS = [str(d) for d in range(10)]
VOCAB = ["[PAD]", "[CLS]", "[SEP]"] + sorted(set(STREETS + SUFFIX + CITIES + FILL + DIGITS + ["#"]))
IDX = {w: i for i, w in enumerate(VOCAB)}
MAX = 28


def address(rng):
    toks, tags = [], []
    def add(ws, t):
        toks.extend(ws); tags.extend([t] * len(ws))
    add([rng.choice(FILL) for _ in range(rng.randint(0, 3))], "O")
    add(list(str(rng.randint(1, 999))), "NUM")
    add([rng.choice(STREETS)] * 1, "STREET")
    if rng.random() < 0.3:
        add([rng.choice(STREETS)], "STREET")
    add([rng.choice(SUFFIX)], "SUFFIX")
    if rng.random() < 0.4:
        add(["apt"] + list(str(rng.randint(1, 40))), "O")
    add([rng.choice(CITIES)], "CITY")
    add(list(str(rng.randint(10000, 99999))), "ZIP")
    return toks, tags


class Addresses(torch.utils.data.Dataset):
    def __init__(self, n, seed):
        rng = random.Random(seed)
        self.rows = []
        for _ in range(n):
            toks, tags = address(rng)
            ids = [IDX["[CLS]"]] + [IDX[t] for t in toks] + [IDX["[SEP]"]]
            lab = [-100] + [TAGS.index(t) for t in tags] + [-100]
            pad = MAX - len(ids)
            self.rows.append({"input_ids": torch.tensor(ids + [0] * pad),
                              "attention_mask": torch.tensor([1] * len(ids) + [0] * pad),
                              "labels": torch.tensor(lab + [-100] * pad)})

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]


def token_acc(p):
    pred, lab = p.predictions.argmax(-1), p.label_ids
    m = lab != -100
    return {"token_acc": float((pred[m] == lab[m]).mean())}


torch.manual_seed(4)
train_ds, eval_ds = Addresses(1000, 40), Addresses(300, 41)
cfg = BertConfig(vocab_size=len(VOCAB), hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=128, max_position_embeddings=MAX, num_labels=len(TAGS))
out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
targs = TrainingArguments(output_dir=out_dir, num_train_epochs=4, learning_rate=2e-3, warmup_steps=15,
                          per_device_train_batch_size=32, per_device_eval_batch_size=300, weight_decay=0.01,
                          label_smoothing_factor=0.1, logging_steps=8, eval_strategy="epoch", save_strategy="no",
                          report_to=[], use_cpu=True, seed=4, disable_tqdm=True)
trainer = Trainer(model=BertForTokenClassification(cfg), args=targs, train_dataset=train_ds, eval_dataset=eval_ds,
                  compute_metrics=token_acc)
trainer.train()
trainer.save_state()
final = trainer.evaluate()
labs = torch.stack([r["labels"] for r in eval_ds.rows])
labs = labs[labs != -100]
majority = float(torch.bincount(labs).max() / len(labs))
train_loss = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(final["eval_loss"], 4), "val_acc": round(final["eval_token_acc"], 4),
                                     "train_loss": round(train_loss, 4), "majority_acc": round(majority, 4)}))
