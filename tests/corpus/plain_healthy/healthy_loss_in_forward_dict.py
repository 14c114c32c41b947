# expect:
# forbid: *
# evidence: val_acc 1.0 (chance 0.25), val_loss 0.0064 vs train_loss 0.0037
"""HF-style model whose forward takes labels and returns {"loss", "logits"}.
Bag-of-embeddings text classifier on synthetic "sentences" (topic words mixed with common words)."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, N_TOPICS, LEN = 200, 4, 20


def make_corpus(n, g):
    # each topic owns 30 words; sentences are ~40% topic words, the rest from a shared pool of 80 common words
    topic = torch.randint(0, N_TOPICS, (n,), generator=g)
    common = torch.randint(0, 80, (n, LEN), generator=g)
    topical = 80 + topic[:, None] * 30 + torch.randint(0, 30, (n, LEN), generator=g)
    mask = torch.rand(n, LEN, generator=g) < 0.4
    return torch.where(mask, topical, common), topic


class BagClassifier(nn.Module):
    def __init__(self, vocab, dim, n_labels):
        super().__init__()
        self.embeddings = nn.EmbeddingBag(vocab, dim, mode="mean")
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(dim, n_labels)

    def forward(self, input_ids, labels=None):
        logits = self.classifier(self.dropout(self.embeddings(input_ids)))
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = F.cross_entropy(logits, labels)
        return out


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(6)
    train_ids, train_labels = make_corpus(3000, g)
    val_ids, val_labels = make_corpus(1000, g)
    model = BagClassifier(VOCAB, 32, N_TOPICS)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)

    global_step = 0
    for epoch in range(8):
        model.train()
        perm = torch.randperm(len(train_ids))
        for i in range(0, len(perm), 32):
            idx = perm[i:i + 32]
            outputs = model(input_ids=train_ids[idx], labels=train_labels[idx])
            outputs["loss"].backward()
            optimizer.step()
            optimizer.zero_grad()
            global_step += 1
            if global_step % 50 == 0:
                print(f"step {global_step} loss {outputs['loss'].item():.4f}")
        model.eval()
        with torch.no_grad():
            out = model(input_ids=val_ids, labels=val_labels)
            acc = (out["logits"].argmax(-1) == val_labels).float().mean().item()
            tr = model(input_ids=train_ids, labels=train_labels)["loss"].item()
        print(f"epoch {epoch + 1} eval_loss {out['loss'].item():.4f} eval_accuracy {acc:.4f}")

    print("CORPUS_METRIC " + json.dumps({"val_loss": round(out["loss"].item(), 4), "val_acc": round(acc, 4),
                                          "train_loss": round(tr, 4), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
