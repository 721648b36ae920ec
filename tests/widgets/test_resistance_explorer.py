"""ResistanceExplorer: activity per mutation, several mutations, misspellings, bad states, content changes."""

from __future__ import annotations

from content import load_guidance
from widgets import ResistanceExplorer
from widgets.words import ACTIVITY, EVIDENCE, UK_STATUS


def test_g2032r_shows_the_right_therapies(guidance, table_rows):
    explorer = ResistanceExplorer(guidance=guidance)
    explorer.mutations = ("G2032R",)
    rows = table_rows(explorer.table.value)
    # Repotrectinib (TRIDENT-1) and taletrectinib (pooled TRUST) active on clinical evidence; crizotinib and
    # entrectinib resistant.
    assert rows["repotrectinib"][:2] == ("✓ Active", "Clinical")
    assert rows["taletrectinib"][:2] == ("✓ Active", "Clinical")
    assert rows["crizotinib"][0] == "✗ Resistant" and rows["entrectinib"][0] == "✗ Resistant"
    assert set(rows) == {t.name for t in guidance.therapies}


def test_every_row_gives_words_symbol_evidence_reason_and_sources(guidance, table_rows):
    explorer = ResistanceExplorer(guidance=guidance, mutations=["G2032R"])
    rows = table_rows(explorer.table.value)
    for row in guidance.activity_rows("G2032R"):
        activity, evidence, why, sources = rows[row.therapy]
        symbol, word = ACTIVITY[row.activity]
        assert activity == f"{symbol} {word}"
        assert evidence == EVIDENCE[row.evidence]
        assert row.reason in why
        assert all(source_id in sources for source_id in row.sources)


def test_without_the_therapy_progressed_on_no_uk_status_is_shown(guidance, shown):
    explorer = ResistanceExplorer(guidance=guidance, mutations=["G2032R"])
    assert ">UK status" not in explorer.table.value
    assert "UK funding depends on the line of treatment" in shown(explorer)
    assert UK_STATUS["routine"] not in shown(explorer)


def test_after_progression_each_row_shows_its_status_after_a_ros1_inhibitor(guidance, table_rows):
    explorer = ResistanceExplorer(guidance=guidance, mutations=["G2032R"], progressed_on="crizotinib")
    assert "UK status after progression on a ROS1 inhibitor" in explorer.table.value
    rows = table_rows(explorer.table.value)
    for therapy, (_activity, _evidence, uk, *_rest) in rows.items():
        record = guidance.uk_status(therapy, "after-ros1-inhibitor")
        assert uk.startswith(UK_STATUS[record.status]) and record.text in uk
    assert rows["entrectinib"][2].startswith("Not funded in this line")


def test_the_seed_spelling_g2023r_shows_g2032r_with_the_erratum(guidance, shown):
    explorer = ResistanceExplorer(guidance=guidance, mutations=["G2023R"])
    assert explorer.mutations == ("G2032R",)
    note = guidance.find("mutation", "G2023R").note
    assert note
    assert note in shown(explorer)
    assert "G2023R is shown as G2032R" in shown(explorer)
    explorer.mutations = ()
    assert "G2023R" not in shown(explorer)


def test_find_adds_a_mutation_by_any_spelling(guidance, shown):
    explorer = ResistanceExplorer(guidance=guidance)
    explorer.find.value = "p.Gly2032Arg"
    assert explorer.mutations == ("G2032R",)
    explorer.find.value = "X9999Z"
    assert "no mutation 'X9999Z'" in shown(explorer)
    assert explorer.mutations == ("G2032R",)


def test_nothing_chosen_asks_for_a_mutation(guidance, shown):
    explorer = ResistanceExplorer(guidance=guidance)
    assert "Choose at least one mutation" in shown(explorer)
    assert "<table" not in explorer.table.value


def test_several_mutations_each_get_rows_and_no_combined_answer(guidance, shown, table_rows):
    names = tuple(m.name for m in guidance.mutations[:2])
    explorer = ResistanceExplorer(guidance=guidance, mutations=names)
    text = shown(explorer)
    assert "no data on these mutations together" in text
    tables = explorer.table.value.split("<table")[1:]
    assert len(tables) == len(names)
    for name, table in zip(names, tables, strict=True):
        expected = {row.therapy: ACTIVITY[row.activity][1] for row in guidance.activity_rows(name)}
        assert {t: cells[0].split(" ", 1)[1] for t, cells in table_rows(table).items()} == expected


def test_a_pair_with_no_data_says_no_data(guidance, table_rows):
    missing = next(row for row in guidance.activity_rows() if not row.recorded)
    explorer = ResistanceExplorer(guidance=guidance, mutations=[missing.mutation])
    activity, evidence, *_ = table_rows(explorer.table.value)[missing.therapy]
    assert activity == "? No data"
    assert evidence == "None"


def test_progressed_on_leaves_that_therapy_out_and_adds_trials(guidance, shown, table_rows):
    explorer = ResistanceExplorer(guidance=guidance, mutations=["G2032R"])
    explorer.progressed_on = "crizotinib"
    rows = table_rows(explorer.table.value)
    assert "crizotinib" not in rows
    assert list(rows) == [row.therapy for row in guidance.next_steps("crizotinib", "G2032R").rows]
    text = shown(explorer)
    assert guidance.fact("clinical-trials").text in text
    assert "crizotinib against G2032R: ✗ Resistant" in text


def test_heatmap_has_alt_text_for_every_mutation_and_is_drawn_once(guidance, alt_texts, draws):
    first = ResistanceExplorer(guidance=guidance)
    ResistanceExplorer(guidance=guidance, mutations=["G2032R"])
    assert [name.kind for name in draws] == ["activity"]
    (alt,) = alt_texts(first)
    assert all(m.name in alt for m in guidance.mutations)
    assert all(t.name in alt for t in guidance.therapies)


def test_follows_a_changed_activity_row(edit_content, table_rows):
    old = "  therapy: taletrectinib\n  activity: active\n  evidence: clinical"
    new = "  therapy: taletrectinib\n  activity: resistant\n  evidence: preclinical"
    changed = load_guidance(edit_content("activity.yaml", old, new))
    explorer = ResistanceExplorer(guidance=changed, mutations=["G2032R"])
    assert table_rows(explorer.table.value)["taletrectinib"][:2] == ("✗ Resistant", "Preclinical")
