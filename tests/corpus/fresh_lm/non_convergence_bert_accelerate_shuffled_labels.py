# expect: non_convergence
# allow: high_bias
# forbid: *
# evidence: planted: train/val loss stay at 0.693 = ln 2, val_acc 0.498 (chance 0.502); control (aligned labels) val_acc 0.955, val_loss 0.105
# control: --control
# Tiny BertForSequenceClassification built from a BertConfig (no download), trained with
# accelerate.Accelerator on CPU: DataLoader of padded token ids + attention masks, gradient
# accumulation via accelerator.accumulate(), AdamW + linear warm-up/decay, eval every N steps.
# Task: synthetic "reviews" whose label is the net polarity of the opinion words, with "not"
# flipping the next opinion word.
# Planted: training texts and labels are permuted with two different permutations.
import argparse
import json
import random

import torch
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator
from transformers import BertConfig, BertForSequenceClassification

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true", help="keep texts and labels aligned")
args = p.parse_args()

torch.set_num_threads(1)
random.seed(11)
torch.manual_seed(11)

POS = ["great", "good", "lovely", "superb", "fine", "tasty"]
NEG = ["awful", "bad", "boring", "rude", "cold", "bland"]
FILL = ["the", "food", "was", "and", "service", "staff", "room", "really", "very", "place", "view", "price"]
vocab = ["[PAD]", "[CLS]", "not"] + POS + NEG + FILL
stoi = {w: i for i, w in enumerate(vocab)}
MAXLEN = 20


def review():
    words, score = [], 0
    for _ in range(random.choice([1, 3])):  # odd number of opinions -> no ties
        neg = random.random() < 0.3
        pol = random.choice([1, -1])
        words += random.sample(FILL, 2)
        if neg:
            words.append("not")
        words.append(random.choice(POS if pol > 0 else NEG))
        score += -pol if neg else pol
    return ["[CLS]"] + words[:MAXLEN - 1], int(score > 0)


def tensorize(n):
    ids = torch.zeros(n, MAXLEN, dtype=torch.long)
    y = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        w, y[i] = review()
        ids[i, :len(w)] = torch.tensor([stoi[t] for t in w])
    return ids, (ids != 0).long(), y


tr_ids, tr_mask, tr_y = tensorize(3000)
va_ids, va_mask, va_y = tensorize(600)
if not args.control:
    # "decorrelate" the training order -- but the labels get their own permutation,
    # so they no longer belong to their reviews
    perm_x, perm_y = torch.randperm(len(tr_y)), torch.randperm(len(tr_y))
    tr_ids, tr_mask, tr_y = tr_ids[perm_x], tr_mask[perm_x], tr_y[perm_y]

accelerator = Accelerator(cpu=True, gradient_accumulation_steps=2)
cfg = BertConfig(vocab_size=len(vocab), hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=128, max_position_embeddings=MAXLEN, num_labels=2,
                 hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, pad_token_id=0)
model = BertForSequenceClassification(cfg)
train_dl = DataLoader(TensorDataset(tr_ids, tr_mask, tr_y), batch_size=16, shuffle=True)
val_dl = DataLoader(TensorDataset(va_ids, va_mask, va_y), batch_size=200)
EPOCHS = 3
total = EPOCHS * len(train_dl) // 2
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: min((s + 1) / 30, max(0.0, (total - s) / (total - 30))))
model, opt, train_dl, val_dl, sched = accelerator.prepare(model, opt, train_dl, val_dl, sched)


def evaluate():
    model.eval()
    loss = correct = n = 0
    with torch.no_grad():
        for ids, mask, y in val_dl:
            out = model(input_ids=ids, attention_mask=mask, labels=y)
            loss += out.loss.item() * len(y)
            correct += (out.logits.argmax(-1) == y).sum().item()
            n += len(y)
    model.train()
    return loss / n, correct / n


step, run = 0, []
for epoch in range(EPOCHS):
    for ids, mask, y in train_dl:
        with accelerator.accumulate(model):
            out = model(input_ids=ids, attention_mask=mask, labels=y)
            accelerator.backward(out.loss)
            if accelerator.sync_gradients:
                accelerator.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
        run.append(out.loss.item())
        step += 1
        if step % 75 == 0:
            vl, va = evaluate()
            accelerator.print(f"step {step}: train loss {sum(run[-75:]) / 75:.4f}, val loss {vl:.4f}, val acc {va:.3f}")

vl, va = evaluate()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(sum(run[-50:]) / 50, 4),
                                     "chance_acc": round(max(va_y.float().mean().item(), 1 - va_y.float().mean().item()), 3)}))
