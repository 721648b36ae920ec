"""The `ros1-course` command, run as a user would: the installed console script in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("ros1-course", path=str(Path(sys.executable).parent))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert SCRIPT, "the ros1-course console script is installed with the project"
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=60)


def test_check_passes_on_the_course_content() -> None:
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Content valid")
    assert "seed page" in result.stdout and "2023-05-04" in result.stdout


def test_check_lists_statements_past_review_as_warnings() -> None:
    result = run("check", "--today", "2030-01-01")
    assert result.returncode == 0
    assert "past their review date" in result.stdout
    assert "activity.yaml:" in result.stdout and "checked 2026-11-27" in result.stdout


def test_check_refuses_a_broken_copy_naming_the_file(content_copy: Path) -> None:
    (content_copy / "mutations.yaml").write_text("- name: [unclosed\n", encoding="utf-8")
    result = run("check", "--content", str(content_copy))
    assert result.returncode == 1
    assert "mutations.yaml" in result.stderr and "Traceback" not in result.stderr


def test_lookup_erratum_as_json() -> None:
    result = run("lookup", "mutation", "G2023R", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["mutation"]["name"] == "G2032R"
    assert "typo" in answer["match_note"]
    cited = {source["id"] for source in answer["sources"]}
    assert {"seed-genotes", "awad2013"} <= cited
    assert all(source["pmid"] or source["doi"] or source["url"] for source in answer["sources"])


@pytest.mark.parametrize(("kind", "name", "expected"), [
    ("mutation", "p.Gly2032Arg", "Mutation: G2032R"),
    ("partner", "fig", "Partner: GOPC"),
    ("therapy", "Entrectinib", "Therapy: entrectinib"),
])
def test_lookup_readable(kind: str, name: str, expected: str) -> None:
    result = run("lookup", kind, name)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(expected)
    assert "Sources:" in result.stdout and "not a tool for treatment decisions" in result.stdout


def test_lookup_unknown_exits_non_zero_with_one_line() -> None:
    result = run("lookup", "mutation", "X9999Z")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "X9999Z" in result.stderr and "G2032R" in result.stderr and "Traceback" not in result.stderr


def test_every_mutation_json_carries_its_sources(guidance) -> None:
    for mutation in guidance.mutations:
        answer = json.loads(run("lookup", "mutation", mutation.name, "--json").stdout)
        cited = {source["id"] for source in answer["sources"]}
        assert set(mutation.region.sources) <= cited
        for row in answer["activity"]:
            assert set(row["sources"]) <= cited


def test_lookup_therapy_json_lists_uk_status_by_setting(guidance) -> None:
    result = run("lookup", "therapy", "entrectinib", "--json")
    assert result.returncode == 0, result.stderr
    uk = {record["setting"]: record for record in json.loads(result.stdout)["uk"]}
    assert set(uk) == {"first-line", "after-ros1-inhibitor"}
    assert (uk["first-line"]["status"], uk["first-line"]["funded"]) == ("routine", True)
    assert (uk["after-ros1-inhibitor"]["funded"], uk["after-ros1-inhibitor"]["nice"]) == (False, "TA643")
    for setting, record in uk.items():
        assert record["text"] == guidance.uk_status("entrectinib", setting).text


def test_lookup_dates_every_time_sensitive_statement_plain_and_json(guidance) -> None:
    answer = json.loads(run("lookup", "therapy", "entrectinib", "--json").stdout)
    therapy = guidance.therapy("entrectinib")
    pairs = [*zip(answer["uk"], therapy.uk, strict=True),
             *zip(answer["therapy"]["approvals"], therapy.approvals, strict=True)]
    for shown, record in pairs:
        assert shown["as_of"] == (record.checked.isoformat() if record.checked else "not checked"), shown
    assert all("as_of" not in result for result in answer["therapy"]["results"]), "results are not statuses"
    plain = run("lookup", "therapy", "entrectinib").stdout
    for line in (line for line in plain.splitlines() if line.startswith(("UK status", "Approvals"))):
        assert "(as of " in line, line


def test_lookup_therapy_readable_names_each_setting() -> None:
    result = run("lookup", "therapy", "entrectinib")
    lines = [line for line in result.stdout.splitlines() if line.startswith("UK status")]
    assert [line.split(":")[0] for line in lines] == [
        "UK status, first line (no ROS1 inhibitor before)", "UK status, after progression on a ROS1 inhibitor"]
    assert "funded: no" in lines[1]


def test_check_warns_of_every_unverified_source_and_weakly_sourced_statement(guidance) -> None:
    result = run("check")
    assert result.returncode == 0
    unverified = [s.id for s in guidance.sources if not s.verified]
    assert unverified, "the course has sources it could not verify, and says so"
    assert f"{len(unverified)} sources not verified" in result.stdout
    assert all(f"sources.yaml: {source_id}:" in result.stdout for source_id in unverified)
    weak = guidance.weak_statements()
    assert f"{len(weak)} statements rest only on unverified, news or manufacturer sources" in result.stdout
    assert all(str(statement) in result.stdout for statement in weak)


def test_lookup_therapy_by_brand_name() -> None:
    result = run("lookup", "therapy", "Xalkori")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Therapy: crizotinib") and "Xalkori is a brand name of crizotinib." in result.stdout
    assert "Side effects:" in result.stdout and "HGVS" not in result.stdout


def test_lookup_mutation_names_fields_as_a_clinician_reads_them() -> None:
    result = run("lookup", "mutation", "G2023R")
    assert "HGVS protein: p.Gly2032Arg" in result.stdout and "Hgvs p" not in result.stdout
