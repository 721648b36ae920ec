"""Property: any string given to a lookup yields an answer or UnknownEntryError, nothing else."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from content import Guidance, UnknownEntryError, load_guidance
from content.errors import QUERY_SHOWN

GUIDANCE: Guidance = load_guidance()
KNOWN_TEXT = [p.symbol for p in GUIDANCE.partners] + [m.hgvs_p for m in GUIDANCE.mutations] + ["FIG", "G2023R"]
queries = st.one_of(
    st.text(),
    st.sampled_from(KNOWN_TEXT),
    st.builds(lambda known, noise: known + noise, st.sampled_from(KNOWN_TEXT), st.text(max_size=3)),
    st.from_regex(r"(p\.)?[A-Z][a-z]{0,2}\d{1,5}[A-Z][a-z]{0,2}", fullmatch=True),
)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(["partner", "therapy", "mutation"]), query=queries)
def test_any_string_is_an_answer_or_a_typed_error(kind: str, query: str) -> None:
    try:
        found = GUIDANCE.find(kind, query)
    except UnknownEntryError as error:
        assert error.query == query and error.kind == kind
        shown = query if len(query) <= QUERY_SHOWN else query[:QUERY_SHOWN - 1] + "…"
        assert repr(shown) in str(error)
    else:
        assert found.entry in {"partner": GUIDANCE.partners, "therapy": GUIDANCE.therapies,
                               "mutation": GUIDANCE.mutations}[kind]
