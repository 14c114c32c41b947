"""`traindx explain`: generated from the sources the diagnosis uses, for every problem id."""
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from traindx.cli import app
from traindx.explain import all_markdown
from traindx.remedies import PROBLEMS

DOCS = Path(__file__).parents[1] / "docs" / "problems.md"


@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_problem_is_explained(problem):
    r = CliRunner().invoke(app, ["explain", problem, "--format", "json"])
    assert r.exit_code == 0, r.output
    entry = json.loads(r.stdout)
    assert entry["measured_by"] and all(m["detects"] and m["matters"] for m in entry["measured_by"])
    assert entry["remedies"] and all(rem["snippet"] and "$" not in rem["action"] for rem in entry["remedies"])


def test_thresholds_in_effect_follow_the_policy(tmp_path):
    policy = tmp_path / "traindx.yaml"
    policy.write_text("thresholds:\n  overfitting: {min_rise: 0.3}\n")
    r = CliRunner().invoke(app, ["explain", "overfitting", "--format", "json", "--config", str(policy)])
    [m] = json.loads(r.stdout)["measured_by"]
    assert m["thresholds"]["min_rise"] == 0.3 and m["thresholds"]["patience"] == 2


def test_causes_and_conditions_are_read_from_the_story_and_the_rules():
    r = CliRunner().invoke(app, ["explain", "exploding_gradients", "--format", "markdown"])
    assert "**Often caused by:** `learning_rate_too_high`" in r.stdout
    assert "`non_finite`" in r.stdout  # what it can cause
    assert "not for architecture transformer/rnn" in r.stdout  # batch norm is not for them


def test_unknown_problem_is_one_line():
    r = CliRunner().invoke(app, ["explain", "overfit"])
    assert r.exit_code == 2 and "unknown problem" in r.output


def test_docs_problems_md_is_generated_and_current():
    """Regenerate with: traindx explain --all --format markdown > docs/problems.md"""
    assert DOCS.read_text() == all_markdown() + "\n"
