"""GPT2ForSequenceClassification (config-built, 2 layers) deciding whether a short
statement about a service is positive, where order matters: "not good" is
negative, "not bad" is positive.  HF Trainer, eval by steps, warm-up, dropout.
trainer_state.json is saved to $CORPUS_LOG_DIR."""
# expect:
# allow:
# forbid: *
# evidence: eval_acc 1.00 / eval_loss 0.0095 on 400 held-out statements (chance 0.5; 30% are negated, so a bag-of-words model tops out near 0.7)
# native-log: trainer_state.json
# log-expect:
# log-allow:
import json, os, random, tempfile
import torch
from transformers import GPT2Config, GPT2ForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging

logging.set_verbosity_error()
torch.set_num_threads(1)

GOOD = ["good", "great", "fast", "friendly", "clean"]
BAD = ["bad", "slow", "rude", "dirty", "awful"]
SUBJ = ["the", "service", "staff", "room", "food", "delivery", "was", "is", "really", "quite", "honestly"]
V = ["<pad>", "not", "."] + GOOD + BAD + SUBJ
ID = {w: i for i, w in enumerate(V)}
N = 16


def statement(r):
    words = [r.choice(SUBJ) for _ in range(r.randint(2, 6))]
    pol = r.random() < 0.5
    adj = r.choice(GOOD if pol else BAD)
    neg = r.random() < 0.3
    words += (["not"] if neg else []) + [adj, "."]
    if r.random() < 0.3:
        words += [r.choice(SUBJ) for _ in range(r.randint(1, 3))]
    label = int(pol != neg)
    ids = [ID[w] for w in words][:N]
    return ids + [0] * (N - len(ids)), [1] * len(ids) + [0] * (N - len(ids)), label


def dataset(n, seed):
    r = random.Random(seed)
    out = []
    for _ in range(n):
        ids, mask, y = statement(r)
        out.append({"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask), "labels": torch.tensor(y)})
    return out


torch.manual_seed(9)
cfg = GPT2Config(vocab_size=len(V), n_positions=N, n_embd=48, n_layer=2, n_head=4, num_labels=2, pad_token_id=0,
                 resid_pdrop=0.1, embd_pdrop=0.1, attn_pdrop=0.1)
model = GPT2ForSequenceClassification(cfg)
args = TrainingArguments(output_dir=os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), max_steps=200,
                         per_device_train_batch_size=32, learning_rate=2e-3, warmup_steps=20, weight_decay=0.01,
                         logging_steps=10, eval_strategy="steps", eval_steps=50, per_device_eval_batch_size=200,
                         save_strategy="no", report_to=[], use_cpu=True, seed=9, disable_tqdm=True)
trainer = Trainer(model=model, args=args, train_dataset=dataset(1600, 90), eval_dataset=dataset(400, 91),
                  compute_metrics=lambda p: {"acc": float((p.predictions.argmax(-1) == p.label_ids).mean())})
trainer.train()
trainer.save_state()
res = trainer.evaluate()
tl = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(res["eval_loss"], 4), "val_acc": round(res["eval_acc"], 4),
                                     "train_loss": round(tl, 4), "chance_acc": 0.5}))
