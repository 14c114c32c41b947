# expect:
# allow:
# forbid: *
# evidence: 200 updates, --update-freq 4 x 16 sentences, Adam peak 3e-3 inverse_sqrt (40 warm-up), label smoothing 0.1: train_loss 0.112, val_loss 0.113, val_acc 0.9997 (chance 0.125)
"""fairseq-ish: a tiny Transformer encoder tagger trained with --update-freq (gradient accumulation over
micro-batches, normalised by sample size), Adam(0.9, 0.98), inverse_sqrt LR scheduler with warm-up from
warmup_init_lr, label_smoothed_cross_entropy, clip-norm, and fairseq-style log lines."""
import argparse
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_parser():
    p = argparse.ArgumentParser("fairseq-train-ish")
    p.add_argument("--arch", default="transformer_tiny")
    p.add_argument("--lr", type=float, nargs="+", default=[3e-3])
    p.add_argument("--warmup-updates", type=int, default=40)
    p.add_argument("--warmup-init-lr", type=float, default=1e-7)
    p.add_argument("--max-update", type=int, default=200)
    p.add_argument("--update-freq", type=int, nargs="+", default=[4])
    p.add_argument("--max-sentences", type=int, default=16)
    p.add_argument("--clip-norm", type=float, default=1.0)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--log-interval", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    return p


class InverseSquareRootSchedule:
    def __init__(self, args, optimizer):
        self.optimizer = optimizer
        warmup_end_lr = args.lr[0]
        self.lr_step = (warmup_end_lr - args.warmup_init_lr) / args.warmup_updates
        self.decay_factor = warmup_end_lr * args.warmup_updates ** 0.5
        self.warmup_updates, self.warmup_init_lr = args.warmup_updates, args.warmup_init_lr
        self.lr = args.warmup_init_lr
        self.set_lr(self.lr)

    def set_lr(self, lr):
        for g in self.optimizer.param_groups:
            g["lr"] = lr

    def step_update(self, num_updates):
        if num_updates < self.warmup_updates:
            self.lr = self.warmup_init_lr + num_updates * self.lr_step
        else:
            self.lr = self.decay_factor * num_updates ** -0.5
        self.set_lr(self.lr)
        return self.lr


VOCAB, T = 40, 16


def make_split(n, seed):
    """Tagging task: each token has a fixed tag in [0, 8); a preceding 'negation' token (id < 8)
    shifts the tag by 4 -- the model must look at its left neighbour."""
    word_tag = torch.randint(0, 8, (VOCAB,), generator=torch.Generator().manual_seed(0))
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(1, VOCAB, (n, T), generator=g)
    prev = torch.cat([torch.zeros(n, 1, dtype=torch.long), src[:, :-1]], 1)
    negated = (prev > 0) & (prev < 8)
    tgt = (word_tag[src] + 4 * negated.long()) % 8
    return src, tgt


class TransformerTagger(nn.Module):
    def __init__(self, d=64, heads=4, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(VOCAB, d)
        self.embed_positions = nn.Embedding(T, d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.layers = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.layer_norm = nn.LayerNorm(d)
        self.output_projection = nn.Linear(d, 8)
        nn.init.normal_(self.embed_tokens.weight, 0, d ** -0.5)

    def forward(self, src_tokens):
        pos = torch.arange(src_tokens.size(1))
        x = self.embed_tokens(src_tokens) * math.sqrt(self.embed_tokens.embedding_dim) + self.embed_positions(pos)
        return self.output_projection(self.layer_norm(self.layers(x)))


def label_smoothed_nll_loss(lprobs, target, epsilon):
    nll_loss = -lprobs.gather(dim=-1, index=target.unsqueeze(-1)).squeeze(-1)
    smooth_loss = -lprobs.sum(dim=-1)
    eps_i = epsilon / (lprobs.size(-1) - 1)
    loss = (1.0 - epsilon - eps_i) * nll_loss + eps_i * smooth_loss
    return loss.sum(), nll_loss.sum()


def main(args):
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    train_src, train_tgt = make_split(3000, 11)
    valid_src, valid_tgt = make_split(600, 12)
    model = TransformerTagger()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr[0], betas=(0.9, 0.98), eps=1e-8, weight_decay=1e-4)
    lr_scheduler = InverseSquareRootSchedule(args, optimizer)
    update_freq = args.update_freq[0]
    num_updates, epoch = 0, 0
    g = torch.Generator().manual_seed(args.seed)
    while num_updates < args.max_update:
        epoch += 1
        perm = torch.randperm(len(train_src), generator=g)
        bsz = args.max_sentences
        batches = [perm[i:i + bsz] for i in range(0, len(perm) - bsz + 1, bsz)]
        for i in range(0, len(batches) - update_freq + 1, update_freq):
            samples = batches[i:i + update_freq]
            optimizer.zero_grad()
            sample_size, logging_loss, logging_nll = 0, 0.0, 0.0
            for idx in samples:  # --update-freq: accumulate, normalise by total sample size afterwards
                lprobs = F.log_softmax(model(train_src[idx]), dim=-1)
                loss, nll = label_smoothed_nll_loss(lprobs.view(-1, 8), train_tgt[idx].view(-1), args.label_smoothing)
                loss.backward()
                sample_size += train_tgt[idx].numel()
                logging_loss += loss.item()
                logging_nll += nll.item()
            for p in model.parameters():
                if p.grad is not None:
                    p.grad.div_(sample_size)
            gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip_norm)
            optimizer.step()
            num_updates += 1
            lr = lr_scheduler.step_update(num_updates)
            if num_updates % args.log_interval == 0:
                print(f"| epoch {epoch:03d} | {num_updates} updates | loss {logging_loss / sample_size / math.log(2):.3f} "
                      f"| nll_loss {logging_nll / sample_size / math.log(2):.3f} | lr {lr:.3e} | gnorm {gnorm:.3f}")
            if num_updates >= args.max_update:
                break
    model.eval()
    with torch.no_grad():
        out = model(valid_src)
        val_loss = F.cross_entropy(out.view(-1, 8), valid_tgt.view(-1)).item()
        val_acc = (out.argmax(-1) == valid_tgt).float().mean().item()
        tout = model(train_src[:1000])
        train_loss = F.cross_entropy(tout.view(-1, 8), train_tgt[:1000].view(-1)).item()
    print(f"| valid on 'valid' subset | nll_loss {val_loss / math.log(2):.3f} | accuracy {val_acc:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                         "train_loss": round(train_loss, 4), "chance_acc": 0.125}))


if __name__ == "__main__":
    main(get_parser().parse_args())
