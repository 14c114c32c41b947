"""Report words in the course's Chinese (`--lang zh`): the verdicts, headings, problem names,
remedy categories and remedies (rules.yaml `zh:`); numbers, ids, code, layer names and the
measured evidence sentences stay as they are, so that a report can be checked against the run."""
from __future__ import annotations

from enum import Enum

from ..problems import CATEGORIES, PROBLEM


class Lang(str, Enum):
    en = "en"
    zh = "zh"


ZH = {
    "healthy": "健康", "problems": "发现问题", "not judged": "无法判断",
    "error": "错误", "warning": "警告", "info": "提示",
    "severity": "严重程度", "problem": "问题", "what traindx measured": "traindx 测得的证据",
    "caused by": "起因", "alerted live at step": "训练中告警于第", "setup": "训练配置",
    "stopped by traindx": "已被 traindx 停止", "Not judged": "无法判断",
    "remedy plan (most relevant first)": "改进方案（最相关的在前）",
    "Remedy plan (most relevant first)": "改进方案（最相关的在前）",
    "tune": "调整", "why": "理由", "because": "依据", "verified": "已验证",
    "curves": "曲线", "Curves": "曲线", "signal": "信号", "first": "首值", "last": "末值", "points": "点数",
    "gradient flow (median |grad| per layer, log scale; input layers first)":
        "梯度流（各层 |grad| 中位数，对数刻度；输入层在前）",
    "layer": "层",
    "not checked / notes": "未检查 / 说明", "Not checked / notes": "未检查 / 说明", "not checked": "未检查",
    "Remedy plan": "改进方案", "Findings": "诊断结果", "Setup": "训练配置", "finding": "证据",
    "Relative gradient |g|/|w| per layer over steps": "各层相对梯度 |g|/|w| 随步数的变化",
    "Update ratio |Δw|/|w| per layer over steps": "各层更新比 |Δw|/|w| 随步数的变化",
    "Activation health per layer": "各层激活状况",
    "steps": "步", "epochs": "轮", "ended": "结束方式",
    "What traindx measures": "traindx 如何测量", "Why it matters": "为什么重要",
    "Thresholds in effect": "当前阈值", "Often caused by": "常见起因", "Can cause": "可能导致",
    "Remedies": "改进方法", "most effective first": "最有效的在前",
    "completed": "正常结束", "unknown": "结束方式未知", "abrupt": "异常终止", "exited": "脚本退出", "interrupted": "被中断", "exception": "因异常停止", "stopped": "被 traindx 停止",
}


def say(text: str, lang: str) -> str:
    """`text` in `lang` (English, or the text itself where there is no translation)."""
    return ZH.get(text, text) if lang == "zh" else text


def problem(problem_id: str, lang: str) -> str:
    """The problem's name: its id in English; the course's term and the id in Chinese."""
    entry = PROBLEM.get(problem_id)
    return f"{entry.zh} ({problem_id})" if lang == "zh" and entry is not None else problem_id


def category(name: str, lang: str) -> str:
    return CATEGORIES.get(name, name) if lang == "zh" else name
