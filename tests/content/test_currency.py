"""Expected events and time-sensitive statements: `check` warns once an expected date has passed and fails 30
days after; `currency` lists every time-sensitive statement. "Today" is always passed in, never read from a
clock inside the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from content import ContentError, load_guidance
from content.currency import GRACE_DAYS

from .test_cli import run

# An event added to a copy of the content, on crizotinib's TA529 record (an approval: time-sensitive by its kind).
OLD_STATUS = "      reference: TA529\n"
EVENT_DATE = dt.date(2027, 3, 1)
WITH_EVENT = OLD_STATUS + (
    "      expects:\n"
    "        - what: a NICE appraisal decision (test event)\n"
    "          by: NICE\n"
    f"          expected: {EVENT_DATE}\n"
    "          sources: [nice-ta643]\n"
)


@pytest.fixture
def with_event(edit_content: Callable[[str, str, str], Path]) -> Path:
    return edit_content("therapies.yaml", OLD_STATUS, WITH_EVENT)


def days_after(days: int) -> str:
    return (EVENT_DATE + dt.timedelta(days=days)).isoformat()


def test_a_pending_event_is_listed_and_passes(with_event: Path) -> None:
    result = run("check", "--content", str(with_event), "--today", days_after(-10))
    assert result.returncode == 0, result.stderr
    assert "Pending: 1 expected event" in result.stdout
    assert f"{EVENT_DATE}: a NICE appraisal decision (test event) (NICE)" in result.stdout
    assert "crizotinib.approvals[1]" in result.stdout


def test_a_passed_event_warns_naming_file_statement_and_event(with_event: Path) -> None:
    result = run("check", "--content", str(with_event), "--today", days_after(1))
    assert result.returncode == 0, result.stderr
    warning = result.stdout.split("Warning: 1 expected date passed", 1)[1]
    assert "therapies.yaml:" in warning and "crizotinib.approvals[1]" in warning
    assert "test event" in warning and "1 day(s) ago" in warning and "[nice-ta643]" in warning


def test_check_fails_once_the_grace_period_is_over(with_event: Path) -> None:
    just_inside = run("check", "--content", str(with_event), "--today", days_after(GRACE_DAYS - 1))
    assert just_inside.returncode == 0, just_inside.stderr
    over = run("check", "--content", str(with_event), "--today", days_after(GRACE_DAYS))
    assert over.returncode == 1
    assert f"passed more than {GRACE_DAYS} days ago" in over.stderr
    assert "therapies.yaml:" in over.stderr and "crizotinib.approvals[1]" in over.stderr and "test event" in over.stderr
    assert "Traceback" not in over.stderr


def test_currency_report_orders_by_when_a_statement_could_have_changed(with_event: Path) -> None:
    result = run("currency", "--content", str(with_event), "--today", days_after(-10))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("  ") and "  " in line.strip()]
    dates = [line.split()[0] for line in lines if not line.strip().startswith(("PASSED", "expected"))]
    never, dated = [d for d in dates if d == "never"], [d for d in dates if d != "never"]
    assert dates[: len(never)] == never, "statements never checked come first"
    assert dated == sorted(dated), "then by date"
    assert f"expected {EVENT_DATE}: a NICE appraisal decision" in result.stdout
    assert "funding" in result.stdout and "regulatory" in result.stdout
    assert run("check", "--currency", "--content", str(with_event), "--today", days_after(-10)).stdout.count(
        "Time-sensitive statements") == 1


def test_an_event_on_a_statement_not_marked_time_sensitive_is_refused(
        edit_content: Callable[[str, str, str], Path]) -> None:
    copy = edit_content("facts.yaml", "  sources: [lin2021, awad2013, seed-genotes]\n",
                        "  sources: [lin2021, awad2013, seed-genotes]\n  expects:\n    - {what: x, by: y, "
                        "expected: 2027-01-01, sources: [lin2021]}\n")
    with pytest.raises(ContentError) as error:
        load_guidance(copy)
    assert "facts.yaml" in str(error.value) and "changes_with" in str(error.value)


def test_approvals_and_uk_statuses_are_time_sensitive_by_their_kind(guidance) -> None:
    kinds = {(s.field.split(".")[-1].split("[")[0], s.kind) for s in guidance.time_sensitive()}
    assert ("approvals", "regulatory") in kinds and ("uk", "funding") in kinds
