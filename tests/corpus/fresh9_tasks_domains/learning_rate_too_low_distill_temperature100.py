# expect: learning_rate_too_low
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: T=100: KD loss ~2.5e-3 and flat, student val_acc 0.168 -> 0.215 in 15 epochs (val CE 2.09 -> 2.03; teacher 0.981, chance 0.125). Control (T=4): student val_acc 0.982, val CE 0.046
# control: --control
# Pure soft-target distillation (no labels for the student: the transfer set is unlabelled),
# KL(softmax(t/T) || softmax(s/T)) without the T^2 factor, SGD+momentum.
# Planted: T = 100 -> soft targets are almost uniform and the KL (and its gradient, ~1/T^2) is tiny,
# so the student barely moves. --control uses T = 4.
import argparse
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class Distiller:
    def __init__(self, teacher, student, temperature, lr):
        self.teacher, self.student, self.T = teacher.eval(), student, temperature
        self.opt = torch.optim.SGD(student.parameters(), lr=lr, momentum=0.9)

    def step(self, x):
        with torch.no_grad():
            p_t = F.softmax(self.teacher(x) / self.T, dim=1)
        log_p_s = F.log_softmax(self.student(x) / self.T, dim=1)
        loss = F.kl_div(log_p_s, p_t, reduction="batchmean")
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()


def blobs(n, seed, centers):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, len(centers), (n,), generator=g)
    x = centers[y] + 1.2 * torch.randn(n, centers.shape[1], generator=g)
    return x, y


def acc(m, x, y):
    with torch.no_grad():
        return (m(x).argmax(1) == y).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    T = 4.0 if args.control else 100.0

    centers = torch.randn(8, 30, generator=torch.Generator().manual_seed(7)) * 1.0
    x_lab, y_lab = blobs(2000, 1, centers)      # teacher's labelled data
    x_transfer, _ = blobs(3000, 2, centers)     # unlabelled transfer set for the student
    x_val, y_val = blobs(1000, 3, centers)

    teacher = nn.Sequential(nn.Linear(30, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 8))
    topt = torch.optim.Adam(teacher.parameters(), lr=1e-3)
    for ep in range(10):
        for xb, yb in zip(x_lab.split(64), y_lab.split(64)):
            l = F.cross_entropy(teacher(xb), yb)
            topt.zero_grad(); l.backward(); topt.step()
    print(f"teacher val acc {acc(teacher, x_val, y_val):.3f}")

    student = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 8))
    d = Distiller(teacher, student, T, lr=0.05)
    for ep in range(15):
        perm = torch.randperm(len(x_transfer))
        losses = [d.step(x_transfer[perm[i:i + 64]]) for i in range(0, len(perm), 64)]
        with torch.no_grad():
            vce = F.cross_entropy(student(x_val), y_val).item()
        print(f"student epoch {ep}: kd_loss {sum(losses) / len(losses):.3e} val_ce {vce:.4f} val_acc {acc(student, x_val, y_val):.3f}")

    with torch.no_grad():
        tr_ce = F.cross_entropy(student(x_lab), y_lab).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vce, 4), "train_loss": round(tr_ce, 4),
                                          "val_acc": round(acc(student, x_val, y_val), 4),
                                          "teacher_val_acc": round(acc(teacher, x_val, y_val), 4), "chance_acc": 0.125}))


if __name__ == "__main__":
    main()
