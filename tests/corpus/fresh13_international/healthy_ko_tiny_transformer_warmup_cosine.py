# expect:
# allow:
# forbid: *
# evidence: healthy tiny transformer, warm-up + cosine to 0: val_acc 1.000, val_loss 0.0086, train_loss 0.0099 (converged, lr ends at 0); chance 0.25
"""작은 트랜스포머 분류기 (2층, d_model=32): 길이 20 토큰 시퀀스에서 가장 많이 나온 토큰(0~3)을 맞추기.
AdamW + 선형 워밍업 후 코사인 감쇠 (스텝 단위). 진행 상황은 한국어로 출력."""
import os, sys, json, random, math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(18); np.random.seed(18); random.seed(18)

def 데이터_생성(n, rng):
    X = []; y = []
    while len(X) < n:
        p = rng.dirichlet(np.ones(4) * 1.5)
        s = rng.choice(4, size=20, p=p); c = np.bincount(s, minlength=4)
        if (c == c.max()).sum() > 1: continue   # 동점은 버림
        X.append(s); y.append(int(c.argmax()))
    return torch.tensor(np.array(X)), torch.tensor(y)
rng = np.random.default_rng(18)
학습X, 학습y = 데이터_생성(1000, rng); 검증X, 검증y = 데이터_생성(500, rng)

class 작은트랜스포머(nn.Module):
    def __init__(self):
        super().__init__()
        self.임베딩 = nn.Embedding(4, 32); self.위치 = nn.Parameter(torch.randn(1, 20, 32) * 0.02)
        층 = nn.TransformerEncoderLayer(32, 4, dim_feedforward=64, dropout=0.1, batch_first=True, norm_first=True)
        self.인코더 = nn.TransformerEncoder(층, 2, enable_nested_tensor=False); self.머리 = nn.Linear(32, 4)
    def forward(self, x):
        h = self.인코더(self.임베딩(x) + self.위치)
        return self.머리(h.mean(1))

모델 = 작은트랜스포머()
에폭수, 배치 = 8, 32
총스텝 = 에폭수 * math.ceil(len(학습X) / 배치); 워밍업 = 40
최적화기 = torch.optim.AdamW(모델.parameters(), lr=2e-3, weight_decay=0.01)
스케줄 = torch.optim.lr_scheduler.LambdaLR(최적화기, lambda s: (s + 1) / 워밍업 if s < 워밍업 else 0.5 * (1 + math.cos(math.pi * (s - 워밍업) / (총스텝 - 워밍업))))
for 에폭 in range(1, 에폭수 + 1):
    모델.train(); 순서 = torch.randperm(len(학습X)); 합 = 0.0
    for i in range(0, len(학습X), 배치):
        b = 순서[i:i + 배치]
        손실 = F.cross_entropy(모델(학습X[b]), 학습y[b])
        최적화기.zero_grad(); 손실.backward(); 최적화기.step(); 스케줄.step(); 합 += 손실.item() * len(b)
    모델.eval()
    with torch.no_grad():
        출력 = 모델(검증X); 검증손실 = F.cross_entropy(출력, 검증y).item(); 정확도 = (출력.argmax(1) == 검증y).float().mean().item()
    print(f"에폭 {에폭}/{에폭수} - 손실: {합/len(학습X):.4f} - 검증 손실: {검증손실:.4f} - 검증 정확도: {정확도:.3f} - 학습률: {스케줄.get_last_lr()[0]:.2e}")
print("학습 완료")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(검증손실, 4), "val_acc": round(정확도, 4), "train_loss": round(합/len(학습X), 4), "chance_acc": 0.25}))
