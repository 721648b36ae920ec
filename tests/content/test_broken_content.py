"""Broken copies of the content are refused with one readable message naming file, field and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from content import ContentError, load_guidance

# (case, file, exact text to replace, replacement, field named in the problem, words in the message)
BREAKS = [
    ("malformed yaml", "partners.yaml", "partners:\n", "partners: [\n", "", "not valid YAML"),
    ("wrong type", "partners.yaml", "percent: 17.0", "percent: seventeen", "EZR.frequency.percent",
     "valid number"),
    ("percent out of range", "partners.yaml", "percent: 4.7", "percent: 470", "TPM3.frequency.percent",
     "less than or equal to 100"),
    ("unknown field", "partners.yaml", "  - symbol: LRIG3\n", "  - symbol: LRIG3\n    frequncy: 3\n",
     "LRIG3.frequncy", "not a known field"),
    ("unknown therapy in activity", "activity.yaml", "  therapy: repotrectinib\n  activity: active",
     "  therapy: repotrectinab\n  activity: active",
     "G2032R/repotrectinab.therapy", "unknown therapy 'repotrectinab'"),
    ("unknown mutation in activity", "activity.yaml", "- mutation: S1986F\n  therapy: lorlatinib",
     "- mutation: S1968F\n  therapy: lorlatinib", "S1968F/lorlatinib.mutation", "unknown mutation 'S1968F'"),
    ("duplicate source id", "sources.yaml", "- id: lin2021", "- id: awad2013", "awad2013.id",
     "duplicate source id 'awad2013'"),
    ("duplicate partner alias", "partners.yaml", "aliases: [FIG]", "aliases: [EZR]", "aliases[0]",
     "duplicate partner name or alias 'EZR'"),
    ("missing sources", "facts.yaml", "  sources: [seed-genotes, bergethon2012]\n", "",
     "younger-never-smokers.sources", "required"),
    ("empty sources", "facts.yaml", "  sources: [li2022]", "  sources: []", "partner-count.sources",
     "at least 1 item"),
    ("unknown source", "facts.yaml", "  sources: [neel2019]", "  sources: [neel2091]",
     "partner-location.sources[0]", "unknown source 'neel2091'"),
    ("impossible date", "facts.yaml", "  sources: [patil2018]\n  checked: 2026-11-27",
     "  sources: [patil2018]\n  checked: 2026-13-01", "brain-mets-patil.checked", "2026-13-01"),
    ("future date", "facts.yaml",
     "  - {label: After lorlatinib, value: 46, unit: \"%\"}\n  sources: [lin2021]\n  checked: 2026-11-27",
     "  - {label: After lorlatinib, value: 46, unit: \"%\"}\n  sources: [lin2021]\n  checked: 2099-01-01",
     "kinase-mutations-after-tki.checked", "in the future"),
    ("checked date on unverified sources", "facts.yaml", "  sources: [neel2019]\n  checked: null",
     "  sources: [neel2019]\n  checked: 2026-11-27", "partner-location.checked",
     "a checked date needs at least one verified source"),
    ("no checked date on verified sources", "facts.yaml", "  sources: [he2019]\n  checked: 2026-11-27",
     "  sources: [he2019]\n  checked: null", "partner-outcome.checked", "a source is verified"),
    ("clinical evidence without a clinical source", "activity.yaml",
     "  therapy: lorlatinib\n  activity: active\n  evidence: preclinical\n  reason: >-\n    Lorlatinib inhibited",
     "  therapy: lorlatinib\n  activity: active\n  evidence: clinical\n  reason: >-\n    Lorlatinib inhibited",
     "L2026M/lorlatinib.evidence", "'clinical' evidence needs at least one clinical source"),
    ("a source cited nowhere", "sources.yaml", "- id: ros1ders\n", "- id: ros1ders-unused\n",
     "ros1ders-unused.id", "is cited nowhere"),
    ("a brand that is another therapy's", "therapies.yaml", "  brands: [Augtyro]", "  brands: [Augtyro, Xalkori]",
     "repotrectinib.brands[1]", "duplicate therapy name or brand 'XALKORI'"),
    ("date and time", "page.yaml", "last_reviewed: 2022-05-04", "last_reviewed: 2022-05-04 10:00:00",
     "last_reviewed", "not a date and time"),
    ("number as date", "page.yaml", "next_review_due: 2023-05-04", "next_review_due: 20230504",
     "next_review_due", "must be a date"),
    ("review before last review", "page.yaml", "next_review_due: 2023-05-04", "next_review_due: 2021-05-04",
     "next_review_due", "must be after last_reviewed"),
    ("activity without evidence", "activity.yaml",
     "  therapy: cabozantinib\n  activity: active\n  evidence: preclinical\n  reason: Cabozantinib kept",
     "  therapy: cabozantinib\n  activity: active\n  evidence: none\n  reason: Cabozantinib kept",
     "G2032R/cabozantinib", "needs its evidence kind"),
    ("unknown activity level", "activity.yaml",
     "  therapy: entrectinib\n  activity: resistant\n  evidence: preclinical\n  reason: Cells carrying G2032R",
     "  therapy: entrectinib\n  activity: maybe\n  evidence: preclinical\n  reason: Cells carrying G2032R",
     "G2032R/entrectinib.activity", "'active', 'reduced'"),
    ("funded but not routine", "therapies.yaml", "      status: not covered\n      funded: false",
     "      status: not covered\n      funded: true", "entrectinib.uk[1]", "funded must be true exactly when"),
    ("a setting without its status", "therapies.yaml",
     "    - setting: after-ros1-inhibitor\n      status: not covered",
     "    - setting: first-line\n      status: not covered",
     "entrectinib.uk", "'after-ros1-inhibitor' (none)"),
    ("funded without its NICE reference", "therapies.yaml", "      funded: true\n      nice: TA643\n",
     "      funded: true\n", "entrectinib.uk[0]", "needs the NICE reference"),
    ("funding question without its setting", "questions.yaml", "    rule: uk-funded\n    setting: first-line\n",
     "    rule: uk-funded\n", "uk-funded.computed", "needs the setting"),
    ("therapy choice without its setting", "scenario.yaml", "      setting: first-line\n", "",
     "first-line.choice", "needs its setting"),
    ("hgvs disagrees with name", "mutations.yaml", "hgvs_p: p.Leu2026Met", "hgvs_p: p.Leu2026Val",
     "L2026M.hgvs_p", "does not describe L2026M"),
    ("misspelling is a real mutation", "mutations.yaml", "    - spelling: G2023R", "    - spelling: D2033N",
     "G2032R.misspellings[0].spelling", "is a real mutation"),
    ("duplicate key", "therapies.yaml", "  drug_class: Kinase inhibitor (investigational for ROS1)\n",
     "  drug_class: Kinase inhibitor (investigational for ROS1)\n  drug_class: again\n",
     "drug_class", "appears twice"),
    ("unknown choice option", "scenario.yaml", "options: [crizotinib, entrectinib]",
     "options: [crizotinib, entrectinab]", "steps[3] first-line.choice.options[1]", "unknown therapy 'entrectinab'"),
    ("answer not an option", "questions.yaml", "  answer: [TA1021]", "  answer: [TA1012]", "ta529-replaced",
     "answer must name one or more of the options"),
    ("glossary claim without date", "glossary.yaml", "  sources: [zou2015]\n  checked: 2026-11-27\n",
     "  sources: [zou2015]\n", "gatekeeper.checked", "a source is verified"),
    ("glossary unknown source", "glossary.yaml", "  sources: [zou2015]", "  sources: [zou2051]",
     "gatekeeper.sources[0]", "unknown source 'zou2051'"),
    ("source without identifier", "sources.yaml", "url: https://www.nice.org.uk/guidance/ta529\n", "url: null\n",
     "nice-ta529",
     "at least one of pmid, doi or url"),
]


def _problems(directory: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load_guidance(directory)
    assert str(raised.value).startswith(f"{len(raised.value.problems)} problem")
    return [str(problem) for problem in raised.value.problems]


@pytest.mark.parametrize(("file", "old", "new", "field", "words"),
                         [case[1:] for case in BREAKS], ids=[case[0] for case in BREAKS])
def test_broken_copy_is_refused_naming_file_and_field(edit_content, file, old, new, field, words) -> None:
    problems = _problems(edit_content(file, old, new))
    matching = [p for p in problems if p.startswith(file) and field in p and words in p]
    assert matching, f"no problem names {file} / {field} / {words!r}; got {problems}"


def test_problems_carry_the_line_of_the_field(edit_content) -> None:
    directory = edit_content("partners.yaml", "percent: 17.0", "percent: seventeen")
    line = next(n for n, text in enumerate((directory / "partners.yaml").read_text().splitlines(), 1)
                if "seventeen" in text)
    assert any(p.startswith(f"partners.yaml:{line}:") for p in _problems(directory))


def test_every_problem_is_listed_not_just_the_first(edit_content) -> None:
    edit_content("partners.yaml", "percent: 17.0", "percent: seventeen")
    edit_content("therapies.yaml", "binding_type: type II", "binding_type: type III")
    directory = edit_content("facts.yaml", "  sources: [li2022]", "  sources: [nobody]")
    problems = _problems(directory)
    assert {p.split(":")[0] for p in problems} == {"partners.yaml", "therapies.yaml"}, (
        "schema problems are all reported; cross-references wait until each file is valid"
    )


def test_cross_reference_problems_are_all_listed(edit_content) -> None:
    edit_content("facts.yaml", "  sources: [li2022]", "  sources: [nobody]")
    directory = edit_content("activity.yaml", "  therapy: repotrectinib\n  activity: active",
                             "  therapy: repotrectinab\n  activity: active")
    problems = _problems(directory)
    assert any("facts.yaml" in p and "'nobody'" in p for p in problems)
    assert any("activity.yaml" in p and "'repotrectinab'" in p for p in problems)


def test_empty_file(content_copy: Path) -> None:
    (content_copy / "therapies.yaml").write_text("# nothing here\n", encoding="utf-8")
    assert "therapies.yaml: is empty" in _problems(content_copy)


def test_missing_file(content_copy: Path) -> None:
    (content_copy / "activity.yaml").unlink()
    assert "activity.yaml: is missing from the content directory" in _problems(content_copy)


def test_file_that_is_not_utf8(content_copy: Path) -> None:
    (content_copy / "page.yaml").write_bytes(b"title: caf\xe9\n")
    assert any(p.startswith("page.yaml: cannot be read") for p in _problems(content_copy))


def test_top_level_of_wrong_shape(content_copy: Path) -> None:
    (content_copy / "mutations.yaml").write_text("name: G2032R\n", encoding="utf-8")
    assert any(p.startswith("mutations.yaml:1:") and "valid list" in p for p in _problems(content_copy))


def test_not_a_directory(tmp_path: Path) -> None:
    assert any("is not a directory" in p for p in _problems(tmp_path / "nowhere"))
