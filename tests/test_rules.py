"""The rules table: complete, well-formed, snippets compile."""
import re
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
    for snippet in (rule.snippet, rule.tune_snippet, *rule.snippets.values()):
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


def _finding(problem="exploding_gradients", **evidence):
    return Finding(problem, Severity.ERROR, "grad norm grew 1e5x", evidence=evidence)


def test_conditions_against_the_profile(tmp_path):
    from traindx.diagnose.profile import Profile
    f = tmp_path / "r.yaml"
    f.write_text("""rules:
  - problem: exploding_gradients
    category: training
    action: Clip at $suggested_clip
    why: bounds the step
    snippet: "clip($suggested_clip)"
    in_place: {clipping: true}
    tune: "You clip at $clip_at: lower the lr from $lr to ~$suggested_lr"
    defaults: {suggested_clip: "1.0", clip_at: "?", lr: "?", suggested_lr: "?"}
  - problem: exploding_gradients
    category: model
    action: Add batch norm
    why: scale
    snippet: "bn()"
    not_for: {architecture: [transformer, rnn]}
  - problem: exploding_gradients
    category: model
    action: LayerNorm in each block
    why: scale
    snippet: "ln()"
    only_for: {architecture: transformer}
""")
    rules = load_rules(f)
    transformer = Profile(architecture="transformer", clipping=True, clip_at=1.0, lr=0.5, peak_lr=0.5)
    items = plan([_finding()], rules, profile=transformer)
    assert [(i.kind, i.action) for i in items] == [
        ("tune", "You clip at 1: lower the lr from 0.5 to ~0.05"), ("change", "LayerNorm in each block")]
    cnn = Profile(architecture="cnn", clipping=False, grad_norm_start=0.3)
    assert [(i.action, i.snippet.strip()) for i in plan([_finding()], rules, profile=cnn)] == [
        ("Clip at 0.6", "clip(0.6)"), ("Add batch norm", "bn()")]
    # a log that tells nothing about the setup: every row applies, with its defaults
    assert [i.action for i in plan([_finding()], rules, profile=Profile())] == [
        "Clip at 1.0", "Add batch norm", "LayerNorm in each block"]


@pytest.mark.parametrize("row,message", [
    ("only_for: {architectur: cnn}", "unknown profile fact 'architectur'"),
    ("not_for: cnn", "must be a mapping of profile facts"),
    ("action: Lower to $new_lr", "placeholder $new_lr has no value in defaults"),
])
def test_bad_condition_or_placeholder_is_one_line(tmp_path, row, message):
    f = tmp_path / "r.yaml"
    key = row.split(":")[0]
    base = {"problem": "problem: overfitting", "category": "category: data", "action": "action: More data",
            "why": "why: helps", "snippet": "snippet: pass"}
    base[key] = row
    f.write_text("rules:\n  - " + "\n    ".join(base.values()) + "\n")
    with pytest.raises(InputError, match=re.escape(message)):
        load_rules(f)


def test_a_consequence_is_fixed_by_its_cause():
    root = Finding("learning_rate_too_high", Severity.ERROR, "lr", evidence={})
    dead = Finding("dead_units", Severity.ERROR, "dead", caused_by="learning_rate_too_high")
    stuck = Finding("non_convergence", Severity.ERROR, "stuck", caused_by="dead_units")
    items = plan([root, dead, stuck])
    assert {i.rule.problem for i in items} == {"learning_rate_too_high"}
    assert items[0].also_for == ["dead_units", "non_convergence"]  # what its first remedy answers too
    # ... unless the cause got no remedy of its own
    assert {i.rule.problem for i in plan([dead, stuck])} >= {"dead_units"}
