# expect:
# allow:
# forbid: *
# evidence: val token acc 0.958 = the Bayes rate (5% of tags are random: 0.95+0.05/6) after a plateau in epochs 1-4, val CE 0.278 nats; train nll 0.346 nats (dropout + smoothing on); chance 0.167
# native-log: train.log
# log-expect:
# log-allow:
"""fairseq-style training of a small transformer encoder for sequence labelling (per-token tags)
on a synthetic "tagging" language: each token's tag depends on the token and its left neighbour.
LabelSmoothedCrossEntropyCriterion (eps 0.1, written by hand as in fairseq), Adam betas (0.9, 0.98),
inverse_sqrt lr scheduler with warm-up, clip_norm 0.1-style gradient clipping (here 1.0), dropout
0.1, and fairseq's --log-format json lines written to $CORPUS_LOG_DIR/train.log
({"epoch": .., "train_loss": .., "valid_loss": .., "valid_accuracy": .., "lr": ..}). Healthy.
"""
import json, math, os, tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
V, NT, L = 30, 6, 20


def label_smoothed_nll_loss(lprobs, target, epsilon, ignore_index=-100):
    nll_loss = -lprobs.gather(dim=-1, index=target.clamp_min(0).unsqueeze(-1)).squeeze(-1)
    smooth_loss = -lprobs.sum(dim=-1)
    pad = target.eq(ignore_index)
    nll_loss = nll_loss.masked_fill(pad, 0.0).sum(); smooth_loss = smooth_loss.masked_fill(pad, 0.0).sum()
    eps_i = epsilon / (lprobs.size(-1) - 1)
    loss = (1.0 - epsilon - eps_i) * nll_loss + eps_i * smooth_loss
    return loss, nll_loss


class Tagger(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.embed_tokens = nn.Embedding(V, d); self.embed_positions = nn.Embedding(L, d)
        layer = nn.TransformerEncoderLayer(d, 4, 128, dropout=0.1, batch_first=True)  # post-LN like fairseq default
        self.layers = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.output_projection = nn.Linear(d, NT)
        nn.init.normal_(self.embed_tokens.weight, 0, d ** -0.5)

    def forward(self, src):
        x = self.embed_tokens(src) * math.sqrt(64) + self.embed_positions(torch.arange(src.size(1)))
        return self.output_projection(self.layers(x))


def make_data(n, g, table):
    src = torch.randint(0, V, (n, L), generator=g)
    prev = torch.cat([torch.zeros(n, 1, dtype=torch.long), src[:, :-1]], 1)
    tgt = table[src, prev % 5]
    noise = torch.rand(n, L, generator=g) < 0.05
    tgt = torch.where(noise, torch.randint(0, NT, (n, L), generator=g), tgt)
    return src, tgt


def main():
    torch.manual_seed(1); g = torch.Generator().manual_seed(1)
    table = torch.randint(0, NT, (V, 5), generator=g)
    xtr, ytr = make_data(2000, g, table); xva, yva = make_data(400, g, table)
    model = Tagger()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4, betas=(0.9, 0.98), eps=1e-8)
    warmup_updates, peak_lr, warmup_init_lr = 100, 2e-3, 1e-7
    lr_step = (peak_lr - warmup_init_lr) / warmup_updates; decay_factor = peak_lr * warmup_updates ** 0.5
    log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "train.log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True); open(log_path, "w").close()
    num_updates, bs = 0, 32
    for epoch in range(1, 9):
        model.train(); perm = torch.randperm(len(xtr), generator=g); tot_loss = tot_nll = ntok = 0.0
        for i in range(0, len(xtr), bs):
            idx = perm[i:i + bs]; num_updates += 1
            lr = warmup_init_lr + num_updates * lr_step if num_updates < warmup_updates else decay_factor * num_updates ** -0.5
            for pg in opt.param_groups:
                pg["lr"] = lr
            lprobs = F.log_softmax(model(xtr[idx]), dim=-1)
            loss, nll = label_smoothed_nll_loss(lprobs.view(-1, NT), ytr[idx].view(-1), 0.1)
            sample_size = ytr[idx].numel()
            opt.zero_grad(); (loss / sample_size).backward()
            gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
            tot_loss += loss.item(); tot_nll += nll.item(); ntok += sample_size
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vloss = F.cross_entropy(logits.view(-1, NT), yva.view(-1)).item()
            vacc = (logits.argmax(-1) == yva).float().mean().item()
        stats = {"epoch": epoch, "train_loss": round(tot_loss / ntok / math.log(2), 3), "train_nll_loss": round(tot_nll / ntok / math.log(2), 3),
                 "valid_loss": round(vloss / math.log(2), 3), "valid_accuracy": round(vacc, 4), "lr": lr, "gnorm": round(float(gnorm), 3),
                 "num_updates": num_updates}
        print(json.dumps(stats))
        with open(log_path, "a") as f:
            f.write(json.dumps(stats) + "\n")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                         "train_nll": round(tot_nll / ntok, 4), "chance_acc": round(1 / NT, 4),
                                         "bayes_acc_approx": 0.958}))


if __name__ == "__main__":
    main()
