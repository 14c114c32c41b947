# expect: learning_rate_too_high
# allow: exploding_gradients, non_convergence, non_finite, high_bias
# forbid: *
# evidence: planted (SGD lr 0.5 m0.9, 8 micro-batches summed without /8, i.e. 8x the step) loss oscillates 3-9 for most epochs, ends train_loss 1.72, val_loss 1.77, val_acc 0.799; control (loss/8) train_loss 0.040, val_loss 0.206, val_acc 0.936 (chance 0.25)
# control: --control
"""HF-accelerate style custom loop on CPU (Accelerator(cpu=True), accelerator.prepare, accelerator.backward)
with gradient accumulation written by hand instead of accelerator.accumulate; SGD + linear warm-up/decay.
accelerator.gather_for_metrics in evaluation. Task: sentiment-ish bag-of-tokens text classification."""
import json
import math

import torch
import torch.nn as nn
from accelerate import Accelerator
from accelerate.utils import set_seed
from torch.utils.data import DataLoader, Dataset

VOCAB, SEQ, N_CLASSES = 200, 24, 4


class ToyReviews(Dataset):
    """Token sequences; each class has its own set of 'keyword' tokens sprinkled among common tokens."""

    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        kw = torch.arange(20, 20 + N_CLASSES * 15).view(N_CLASSES, 15)
        self.labels = torch.randint(0, N_CLASSES, (n,), generator=g)
        self.input_ids = torch.randint(100, VOCAB, (n, SEQ), generator=g)  # filler tokens
        n_kw = 3
        pos = torch.rand(n, SEQ, generator=g).argsort(1)[:, :n_kw]
        pick = torch.randint(0, 15, (n, n_kw), generator=g)
        # 15% of keywords come from a random other class (noisy reviews)
        noisy = torch.rand(n, n_kw, generator=g) < 0.15
        cls = torch.where(noisy, torch.randint(0, N_CLASSES, (n, n_kw), generator=g), self.labels[:, None])
        self.input_ids.scatter_(1, pos, kw[cls, pick])

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.input_ids[i], "labels": self.labels[i]}


class TextClassifier(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, dim)
        self.encoder = nn.GRU(dim, dim, batch_first=True)
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(dim, N_CLASSES)

    def forward(self, input_ids, labels=None):
        h, _ = self.encoder(self.embed(input_ids))
        logits = self.classifier(self.dropout(h.max(dim=1).values))
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return {"loss": loss, "logits": logits}


def get_linear_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps):
    def lr_lambda(current_step):
        if current_step < num_warmup_steps:
            return float(current_step) / float(max(1, num_warmup_steps))
        return max(0.0, float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps)))
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)


def training_function(config):
    # accumulation is done by hand below, so the Accelerator is left at its default (no accumulation)
    accelerator = Accelerator(cpu=True)
    set_seed(config["seed"])
    torch.set_num_threads(1)
    train_dataloader = DataLoader(ToyReviews(1200, 1), shuffle=True, batch_size=config["batch_size"])
    eval_dataloader = DataLoader(ToyReviews(800, 2), shuffle=False, batch_size=128)
    model = TextClassifier()
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"], momentum=0.9, weight_decay=1e-4)
    num_update_steps = config["num_epochs"] * math.ceil(len(train_dataloader) / config["gradient_accumulation_steps"])
    lr_scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=int(0.1 * num_update_steps),
                                                   num_training_steps=num_update_steps)
    model, optimizer, train_dataloader, eval_dataloader, lr_scheduler = accelerator.prepare(
        model, optimizer, train_dataloader, eval_dataloader, lr_scheduler)

    accum = config["gradient_accumulation_steps"]
    for epoch in range(config["num_epochs"]):
        model.train()
        total_loss, n_batches = 0.0, 0
        for step, batch in enumerate(train_dataloader):
            outputs = model(**batch)
            loss = outputs["loss"]
            if config["control"]:
                accelerator.backward(loss / accum)
            else:
                accelerator.backward(loss)  # summed over `accum` micro-batches, never divided
            if (step + 1) % accum == 0 or step + 1 == len(train_dataloader):
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()
            total_loss += loss.detach().float().item()
            if step % 50 == 0:
                gn = sum(p.grad.norm() ** 2 for p in model.parameters() if p.grad is not None) ** 0.5
                accelerator.print(f"  step {step} loss {loss.item():.4f} accumulated grad norm {float(gn):.3f}")
            n_batches += 1
        model.eval()
        correct, count, eval_loss = 0, 0, 0.0
        for batch in eval_dataloader:
            with torch.no_grad():
                outputs = model(**batch)
            preds, refs = accelerator.gather_for_metrics((outputs["logits"].argmax(-1), batch["labels"]))
            correct += (preds == refs).sum().item()
            count += refs.numel()
            eval_loss += outputs["loss"].item() * refs.numel()
        accelerator.print(f"epoch {epoch}: train_loss {total_loss / n_batches:.4f} "
                          f"eval_loss {eval_loss / count:.4f} accuracy {correct / count:.4f} "
                          f"lr {lr_scheduler.get_last_lr()[0]:.2e}")
    return {"val_loss": round(eval_loss / count, 4), "val_acc": round(correct / count, 4),
            "train_loss": round(total_loss / n_batches, 4), "chance_acc": 0.25}


def main():
    import sys
    config = {"lr": 0.5, "num_epochs": 8, "seed": 42, "batch_size": 16, "gradient_accumulation_steps": 8,
              "control": "--control" in sys.argv}
    metrics = training_function(config)
    print("CORPUS_METRIC " + json.dumps(metrics))


if __name__ == "__main__":
    main()
