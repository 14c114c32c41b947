# expect: dead_units
# allow: non_convergence, high_bias, poor_initialization, vanishing_gradients
# forbid: *
# evidence: planted (ReLU-layer biases -1.5): fraction of ReLU units never firing on train set [0.64, 1.00, 1.00] per layer, val_acc 0.389, val_loss 1.091 (majority 0.40); control (default init) dead [0.00, 0.03, 0.22], val_acc 0.963, val_loss 0.105
# control: --control
"""와인 분류 (load_wine) — 4층 ReLU MLP. "희소 활성화"를 노린다며 ReLU 앞 층의 편향(bias)을 -1.5로 초기화함.
대부분의 유닛이 어떤 입력에도 0을 출력 (죽은 ReLU). --control: 편향을 기본 초기화로 둔다."""
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(14); np.random.seed(14); random.seed(14)
대조군 = "--control" in sys.argv

X, y = load_wine(return_X_y=True)
학습X, 검증X, 학습y, 검증y = train_test_split(X, y, test_size=0.3, random_state=14, stratify=y)
sc = StandardScaler().fit(학습X)
학습X = torch.tensor(sc.transform(학습X), dtype=torch.float32); 검증X = torch.tensor(sc.transform(검증X), dtype=torch.float32)
학습y = torch.tensor(학습y); 검증y = torch.tensor(검증y)

은닉층 = [nn.Linear(13, 64), nn.Linear(64, 64), nn.Linear(64, 64)]
if not 대조군:
    for 층 in 은닉층:
        nn.init.constant_(층.bias, -1.5)   # 희소성 트릭 (잘못됨)
모델 = nn.Sequential(은닉층[0], nn.ReLU(), 은닉층[1], nn.ReLU(), 은닉층[2], nn.ReLU(), nn.Linear(64, 3))
최적화기 = torch.optim.Adam(모델.parameters(), lr=1e-3)

def 죽은_비율():
    with torch.no_grad():
        h = 학습X; 비율 = []
        for m in 모델:
            h = m(h)
            if isinstance(m, nn.ReLU):
                비율.append(float(((h > 0).sum(0) == 0).float().mean()))
    return 비율

print(f"시작 시 죽은 ReLU 비율(층별): {[round(r, 3) for r in 죽은_비율()]}")
for 에폭 in range(1, 41):
    모델.train(); 순서 = torch.randperm(len(학습X)); 합 = 0.0
    for i in range(0, len(학습X), 16):
        b = 순서[i:i + 16]
        손실 = F.cross_entropy(모델(학습X[b]), 학습y[b])
        최적화기.zero_grad(); 손실.backward(); 최적화기.step(); 합 += 손실.item() * len(b)
    모델.eval()
    with torch.no_grad():
        출력 = 모델(검증X); 검증손실 = F.cross_entropy(출력, 검증y).item(); 정확도 = (출력.argmax(1) == 검증y).float().mean().item()
    if 에폭 % 4 == 0 or 에폭 == 1:
        print(f"에폭 {에폭:2d} | 손실 {합/len(학습X):.4f} | 검증 손실 {검증손실:.4f} | 검증 정확도 {정확도*100:.1f}%")
죽은 = 죽은_비율()
print(f"학습 후 죽은 ReLU 비율(층별): {[round(r, 3) for r in 죽은]}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(검증손실, 4), "val_acc": round(정확도, 4), "train_loss": round(합/len(학습X), 4), "dead_relu_frac_per_layer": [round(r, 3) for r in 죽은], "chance_acc": 0.4}))
