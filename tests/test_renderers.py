"""One renderer interface: every output format renders the same reports through
`traindx.report.render(reports, fmt, options)`, checked against exact expected output (one shared
fixture; `TRAINDX_UPDATE_GOLDEN=1 pytest tests/test_renderers.py` rewrites tests/golden/ after an
intended change, and the diff is reviewed like code), in English and in the course's Chinese."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import traindx
from traindx.analysis import analyse
from traindx.problems import PROBLEM, PROBLEMS
from traindx.report import Format, Options, render
from traindx.report.lang import ZH

from synthetic import param_table, run_with

GOLDEN = Path(__file__).parent / "golden"


def _reports():
    """An overfitting run with a depth profile of vanishing gradients, and a healthy one."""
    steps = np.arange(1, 201)
    train = 1.1 * np.exp(-steps / 40) + 0.01
    evals = np.arange(20, 201, 20)
    eval_loss = 0.6 + 0.002 * (evals - 60) ** 2 / 40
    eval_loss[:2] = [0.9, 0.7]
    broken = run_with(train_loss=train, eval_loss=(evals, eval_loss),
                      train_acc=np.minimum(0.33 + steps / 200, 1.0),
                      eval_acc=(evals, np.full(len(evals), 0.7)))
    broken.path = "runs/overfit"
    grads = np.outer(np.ones(50), [1e-7, 1e-6, 1e-5, 1e-3, 1e-2])
    broken.params = param_table(grads, names=[f"layers.{i}.weight" for i in range(5)])
    broken.params.steps = np.arange(4, 201, 4)
    healthy = run_with(train_loss=1.1 * np.exp(-steps / 50) + 0.05,
                       eval_loss=(evals, 1.1 * np.exp(-evals / 50) + 0.08))
    healthy.path = "runs/healthy"
    return [analyse(broken), analyse(healthy)]


CASES = [(fmt, lang) for fmt in Format for lang in ("en", "zh")
         if lang == "en" or fmt in (Format.text, Format.markdown, Format.html)]


@pytest.mark.parametrize("fmt,lang", CASES, ids=[f"{f.value}-{lang}" for f, lang in CASES])
def test_every_format_renders_the_shared_reports_exactly(fmt, lang):
    out = render(_reports(), fmt, Options(lang=lang, width=100))
    out = out.replace(traindx.__version__, "VERSION")
    path = GOLDEN / f"report.{lang}.{fmt.value}"
    if os.environ.get("TRAINDX_UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_the_fixture_shows_what_the_formats_must_carry():
    (broken, healthy) = _reports()
    problems = [f.problem for f in broken.diagnosis.findings]
    assert "overfitting" in problems and "vanishing_gradients" in problems, problems
    assert healthy.diagnosis.verdict == "healthy" and broken.plan


def test_chinese_report_uses_the_course_terms_and_keeps_numbers_and_code():
    reports = _reports()
    en = render(reports, Format.text, Options(width=100))
    zh = render(reports, Format.text, Options(lang="zh", width=100))
    assert "过拟合 (overfitting)" in zh and "梯度消失 (vanishing_gradients)" in zh
    assert "改进方案" in zh and "健康" in zh
    for finding in reports[0].diagnosis.findings:  # the measured evidence is unchanged
        assert finding.summary.split(":")[0][:40] in " ".join(zh.split())
    for item in reports[0].plan:  # every remedy in its Chinese words, its code unchanged
        action, why = item.text("zh")
        assert action != item.action and why != item.rule.why
        assert item.snippet.splitlines()[0].strip()[:40] in zh
    assert "overfitting" in en and "过拟合" not in en


def test_every_problem_and_remedy_has_the_course_term():
    from traindx.remedies import builtin_rules
    assert set(PROBLEM) == set(PROBLEMS) and all(p.zh and p.zh_about for p in PROBLEM.values())
    for rule in builtin_rules():
        assert rule.zh.get("action") and rule.zh.get("why"), rule.action
        assert bool(rule.tune) == bool(rule.zh.get("tune")), rule.action
    assert all(v for v in ZH.values())


def test_github_annotations_escape_a_run_path_with_colons_and_commas():
    reports = _reports()
    reports[0].run.path = "exp:lr=1,bs=2"
    out = render(reports, Format.github)
    assert "file=exp%3Alr=1%2Cbs=2," in out and out.count("::warning") + out.count("::error") >= 2


def test_an_unknown_problem_id_is_an_error_where_it_is_declared():
    from traindx.diagnose.registry import detector
    with pytest.raises(ValueError, match="overfiting"):
        detector("typo", problems=("overfiting",))(lambda run, params: [])


@pytest.mark.parametrize("args", [["bayes", "--train-error", "0.1", "--val-error", "0.2", "--format", "github"],
                                  ["explain", "overfitting", "--format", "junit"]])
def test_a_format_a_command_does_not_write_is_refused(args):
    from typer.testing import CliRunner
    from traindx.cli import app
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "is not available here" in result.output


def test_explain_in_chinese_works_for_every_problem():
    import re
    from traindx.explain import explain, markdown
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for problem in PROBLEMS:
        entry = explain(problem, lang="zh")
        text = markdown(entry)
        assert text.startswith(f"## {PROBLEM[problem].zh} (`{problem}`)") and PROBLEM[problem].zh_about in text
        assert entry["remedies"] and all(cjk.search(r["action"]) and cjk.search(r["why"]) for r in entry["remedies"])
