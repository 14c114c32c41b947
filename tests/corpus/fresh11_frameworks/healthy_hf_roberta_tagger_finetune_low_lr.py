"""Healthy look-alike: Hugging Face Trainer, fine-tuning an already trained tiny RoBERTa tagger at a low lr.

Token tagging with integer ids (no tokenizer): ids 5-19 are NAME, 20-34 are LOC, 35-59 are O, and
the "ambiguous" ids 3-4 are NAME in documents whose first token (a
document-type marker, id 1 or 2) is 1 and LOC when it is 2. Stage 1 trains a 2-layer
RobertaForTokenClassification from a config on a source corpus (ambiguous ids rare). Stage 2, the
logged run, fine-tunes it on a small target corpus (ambiguous ids frequent, different id
frequencies, 2 % annotator noise) at lr 1e-4 (stage 1 used 3e-3): the loss starts low and moves little -- a polishing fine-tune, not a
learning rate that is too low. trainer_state.json of stage 2 is saved to $CORPUS_LOG_DIR.
"""
# expect:
# allow:
# forbid: *
# evidence: target token-acc 0.985 before and after the low-lr fine-tune vs noise ceiling 0.987 (majority tag 0.47); eval_loss 0.112 -> 0.109 vs Bayes 0.080, train 0.083: already near optimal, small updates are right here
# native-log: trainer_state.json
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, warnings
import numpy as np
import torch

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
random.seed(6); np.random.seed(6); torch.manual_seed(6)

from transformers import RobertaConfig, RobertaForTokenClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error()

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_rob_")
os.makedirs(LOG_DIR, exist_ok=True)
SCRATCH = tempfile.mkdtemp(prefix="f11_rob_stage1_")

rng = np.random.default_rng(6)
V, SEQ = 60, 20
base_tag = np.zeros(V, dtype=np.int64)
base_tag[5:20] = 1; base_tag[20:35] = 2


def make(n, p_amb, weights, target=False):
    w = np.asarray(weights, dtype=float); w /= w.sum()
    ids = rng.choice(np.arange(5, V), size=(n, SEQ), p=w)
    doc = rng.integers(0, 2, n)            # document type marker at position 0: id 1 or id 2
    amb = rng.random((n, SEQ)) < p_amb
    amb[:, 0] = False
    ids[amb] = rng.integers(3, 5, amb.sum())
    tags = base_tag[ids]
    tags[amb] = np.where(doc[:, None] == 0, 1, 2).repeat(SEQ, 1)[amb]  # ambiguous ids: NAME in type-1, LOC in type-2 docs
    ids[:, 0] = doc + 1
    tags[:, 0] = 0
    if target:  # the target corpus was annotated by other people: 2 % annotator noise
        noise = rng.random((n, SEQ)) < 0.02
        tags[noise] = rng.integers(0, 3, noise.sum())
    return ids, tags


class DS(torch.utils.data.Dataset):
    def __init__(self, ids, tags):
        self.ids, self.tags = torch.tensor(ids), torch.tensor(tags)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(SEQ, dtype=torch.long), "labels": self.tags[i]}


src_w = np.ones(V - 5)
tgt_w = np.concatenate([np.full(15, 2.0), np.full(15, 0.5), np.full(V - 35, 1.0)])
src = DS(*make(1500, 0.12, src_w))
tgt_train, tgt_val = DS(*make(300, 0.2, tgt_w, True)), DS(*make(300, 0.2, tgt_w, True))

cfg = RobertaConfig(vocab_size=V, hidden_size=48, num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
                    max_position_embeddings=SEQ + 4, pad_token_id=0, num_labels=3,
                    hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.0)
model = RobertaForTokenClassification(cfg)


def compute_metrics(p):
    logits, labels = p
    return {"token_acc": float((logits.argmax(-1) == labels).mean())}


common = dict(per_device_eval_batch_size=300, save_strategy="no", report_to="none", disable_tqdm=True,
              use_cpu=True, seed=6)
# ---- stage 1: train on the source corpus (not the logged run)
Trainer(model=model, args=TrainingArguments(output_dir=SCRATCH, max_steps=200, per_device_train_batch_size=32,
                                            learning_rate=3e-3, warmup_steps=15, lr_scheduler_type="linear",
                                            logging_steps=50, eval_strategy="no", **common),
        train_dataset=src).train()

# ---- stage 2: fine-tune on the target corpus at a low lr (logged)
args = TrainingArguments(output_dir=os.path.join(LOG_DIR, "hf_out"), num_train_epochs=4, per_device_train_batch_size=16,
                         learning_rate=1e-4, warmup_steps=5, lr_scheduler_type="linear", weight_decay=0.01,
                         eval_strategy="epoch", logging_steps=5, **common)
trainer = Trainer(model=model, args=args, train_dataset=tgt_train, eval_dataset=tgt_val, compute_metrics=compute_metrics)
before = trainer.evaluate()
trainer.train()
ev = trainer.evaluate()
trainer.state.save_to_json(os.path.join(LOG_DIR, "trainer_state.json"))
tr = trainer.evaluate(tgt_train, metric_key_prefix="train")
pc = 0.98 + 0.02 / 3; po = 0.02 / 3
bayes_loss = -(pc * np.log(pc) + 2 * po * np.log(po))  # noise floor of the target annotation
majority = float(np.bincount(tgt_val.tags.numpy().ravel()).max() / tgt_val.tags.numel())
print("before fine-tune:", round(before["eval_loss"], 4), round(before["eval_token_acc"], 4))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_token_acc"], 4),
                                     "val_acc_before_finetune": round(before["eval_token_acc"], 4),
                                     "train_loss": round(tr["train_loss"], 4), "bayes_loss": round(float(bayes_loss), 4),
                                     "bayes_acc": round(pc, 4), "chance_acc": round(majority, 4)}))
