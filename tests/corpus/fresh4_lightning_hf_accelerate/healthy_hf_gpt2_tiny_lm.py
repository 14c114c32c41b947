"""Tiny GPT-2 (config only) language model on a toy single-digit addition grammar,
HF Trainer, cosine schedule with warm-up, eval every 40 steps.
trainer_state.json (log history) is written to $CORPUS_LOG_DIR."""
# expect:
# allow:
# forbid: *
# evidence: eval_loss 1.02 nats/token vs 2.77 for a uniform guess over the 16-token vocab and ~0.70 irreducible (operands are random digits); train loss 1.03, no train/eval gap
# native-log: trainer_state.json
# log-expect:
# log-allow:
import json, math, os, random, tempfile
import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments
from transformers.utils import logging

logging.set_verbosity_error()
torch.set_num_threads(1)

SYMS = ["<pad>", "<bos>", "<eos>", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "=", ";"]
ID = {s: i for i, s in enumerate(SYMS)}
CTX = 32


def line(rng):
    toks = []
    while len(toks) < CTX - 10:
        a, b = rng.randint(0, 9), rng.randint(0, 9)
        toks += list(str(a)) + ["+"] + list(str(b)) + ["="] + list(str(a + b)) + [";"]
    seq = ["<bos>"] + toks[:CTX - 2] + ["<eos>"]
    return [ID[t] for t in seq] + [0] * (CTX - len(seq))


class Lines(torch.utils.data.Dataset):
    def __init__(self, n, seed):
        r = random.Random(seed)
        self.rows = [torch.tensor(line(r)) for _ in range(n)]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        x = self.rows[i]
        lab = x.clone()
        lab[x == 0] = -100
        return {"input_ids": x, "attention_mask": (x != 0).long(), "labels": lab}


def main():
    out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    torch.manual_seed(1)
    cfg = GPT2Config(vocab_size=len(SYMS), n_positions=CTX, n_embd=64, n_layer=2, n_head=4,
                     bos_token_id=1, eos_token_id=2, pad_token_id=0)
    model = GPT2LMHeadModel(cfg)
    args = TrainingArguments(output_dir=out, max_steps=160, per_device_train_batch_size=16, learning_rate=3e-3,
                             lr_scheduler_type="cosine", warmup_steps=20, weight_decay=0.05, logging_steps=10,
                             eval_strategy="steps", eval_steps=40, per_device_eval_batch_size=100,
                             save_strategy="no", report_to=[], use_cpu=True, seed=1, disable_tqdm=True)
    trainer = Trainer(model=model, args=args, train_dataset=Lines(2000, 5), eval_dataset=Lines(200, 6))
    trainer.train()
    trainer.save_state()
    ev = trainer.evaluate()
    tl = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "train_loss": round(tl, 4),
                                         "val_ppl": round(math.exp(ev["eval_loss"]), 3),
                                         "uniform_loss": round(math.log(len(SYMS)), 4)}))


if __name__ == "__main__":
    main()
