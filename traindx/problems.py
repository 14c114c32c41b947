"""The problems traindx names, in one place: the id that the detectors, the rules table, the
story, the reports and `traindx explain` use, a title, and the course's own Chinese term
(`--lang zh`). Every other table keyed by a problem id is checked against this one when it is
loaded, so that a typo is an error at import, not a problem that is never reported."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    id: str
    title: str  # a short English name
    zh: str  # the course's term
    zh_about: str  # what it is, one sentence in the course's words


_ALL = (
    Problem("overfitting", "Overfitting", "过拟合",
            "模型在训练集上表现很好，在验证集上明显变差（方差大）。"),
    Problem("high_variance", "High variance", "高方差",
            "训练误差与验证误差之间的差距大：模型没有泛化到训练集之外。"),
    Problem("high_bias", "High bias (underfitting)", "高偏差（欠拟合）",
            "训练误差远高于贝叶斯误差：模型连训练集都没有拟合好。"),
    Problem("data_mismatch", "Train/test data mismatch", "数据不匹配",
            "验证集与测试集（部署数据）的分布不同，测试误差明显高于验证误差。"),
    Problem("vanishing_gradients", "Vanishing gradients", "梯度消失",
            "梯度从输出层向输入层逐层缩小几个数量级，靠近输入的层几乎不学习。"),
    Problem("exploding_gradients", "Exploding gradients", "梯度爆炸",
            "梯度范数过大或持续增长，参数更新失控。"),
    Problem("non_convergence", "Non-convergence", "训练不收敛",
            "损失函数没有下降到有用的水平。"),
    Problem("learning_rate_too_high", "Learning rate too high", "学习速率过大",
            "每步更新相对于权重过大，损失函数震荡、发散或溢出。"),
    Problem("learning_rate_too_low", "Learning rate too low", "学习速率过小",
            "每步更新相对于权重过小，损失函数下降极慢。"),
    Problem("non_finite", "NaN / Inf values", "数值溢出（NaN/Inf）",
            "损失、梯度或权重出现 NaN 或 Inf，训练已无法继续。"),
    Problem("dead_units", "Dead ReLU units", "死亡神经元",
            "ReLU 类神经元对所有输入都不激活，梯度为零，不再学习。"),
    Problem("saturated_activations", "Saturated activations", "激活函数饱和",
            "sigmoid/tanh 神经元的输出停在饱和区，梯度接近零。"),
    Problem("poor_initialization", "Poor initialisation", "参数初始化不当",
            "初始权重本身有问题（常数、过小或过大），训练从一开始就受阻。"),
    Problem("unnormalized_inputs", "Unnormalised inputs", "输入未归一化",
            "输入特征的尺度差异大或数值过大（如 0–255、金额），妨碍优化。"),
    Problem("class_imbalance", "Class imbalance", "类别不平衡",
            "少数类样本太少，模型忽略少数类、偏向多数类。"),
)

PROBLEM = {p.id: p for p in _ALL}
PROBLEMS = tuple(PROBLEM)

# the remedy categories of the rules table, with the course's terms
CATEGORIES = {"data": "数据", "model": "模型", "training": "训练"}


def known(problem: str, where: str) -> str:
    """`problem` when it is a registered id; a ValueError naming `where` otherwise."""
    if problem not in PROBLEM:
        raise ValueError(f"{where}: unknown problem id {problem!r}")
    return problem


def all_known(ids, where: str) -> None:
    """Every id in `ids` is registered (a ValueError naming `where` otherwise)."""
    for problem in ids:
        known(problem, where)
