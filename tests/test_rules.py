"""The rules table: complete, well-formed, snippets compile."""
from string import Template

import pytest

from traindx.errors import InputError
from traindx.remedies import CATEGORIES, PROBLEMS, builtin_rules, load_rules, plan
from traindx.diagnose import Finding, Severity


def test_every_problem_has_rows_and_every_row_a_known_problem():
    rules = builtin_rules()
    assert {r.problem for r in rules} == set(PROBLEMS)
    assert all(r.category in CATEGORIES for r in rules)


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: f"{r.problem}:{r.action[:30]}")
def test_snippet_compiles(rule):
    """With the row's defaults (no evidence) and with numbers in every placeholder."""
    for snippet in (rule.snippet, rule.tune_snippet):
        compile(Template(snippet).substitute({k: str(v) for k, v in rule.defaults.items()}),
                f"<{rule.problem}>", "exec")
        measured = {k: "SGD" if k == "optimizer" else "0.5" for k in rule.defaults}
        compile(Template(snippet).substitute(measured), f"<{rule.problem}>", "exec")


def test_chapter_categories():
    """The chapter's mapping: overfitting -> data, gradients -> model, non-convergence -> training."""
    first = {p: next(r for r in builtin_rules() if r.problem == p).category
             for p in ("overfitting", "vanishing_gradients", "non_convergence")}
    assert first == {"overfitting": "data", "vanishing_gradients": "model", "non_convergence": "training"}


def test_plan_only_for_findings_in_order_with_evidence():
    fs = [Finding("exploding_gradients", Severity.ERROR, "grad norm grew 1e5x", layers=["fc1.weight"]),
          Finding("overfitting", Severity.INFO, "slight gap")]
    items = plan(fs)
    assert {i.rule.problem for i in items} == {"exploding_gradients"}
    assert all(i.evidence == "grad norm grew 1e5x" and i.layers == ["fc1.weight"] for i in items)


def test_user_rules_replace_a_problems_rows(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text("rules:\n  - {problem: overfitting, category: data, action: Ask Bob, why: he knows, snippet: 'pass'}\n")
    rows = [r for r in load_rules(f) if r.problem == "overfitting"]
    assert [r.action for r in rows] == ["Ask Bob"]


@pytest.mark.parametrize("text", ["rules: 3", "[1, 2", "rules:\n  - {problem: x}\n",
                                  "rules:\n  - {problem: x, category: food, action: a, why: b, snippet: c}\n"])
def test_bad_rules_file_is_an_input_error(tmp_path, text):
    f = tmp_path / "r.yaml"
    f.write_text(text)
    with pytest.raises(InputError):
        load_rules(f)


def test_a_remedy_reached_from_two_problems_is_listed_once():
    fs = [Finding("overfitting", Severity.WARNING, "eval loss rose 40%"),
          Finding("high_variance", Severity.WARNING, "variance 29%")]
    items = plan(fs)
    patches = [tuple(sorted(i.rule.config_patch.items())) for i in items if i.rule.config_patch]
    assert len(patches) == len(set(patches))
    more_data = [i for i in items if i.rule.config_patch == {"data.n_train": "*4"}]
    assert [i.rule.problem for i in more_data] == ["overfitting"]
    assert more_data[0].also_for == ["high_variance"]
