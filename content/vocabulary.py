"""The words the content uses (kinds of source, topics, settings, levels of activity) and the link to a
source: shared by the schema that validates the files and the code that reads them, without pydantic, so a
kernel that loads a validated snapshot imports none of the validation machinery."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

SourceKind = Literal["seed", "guideline", "regulatory", "trial", "trial-report", "cohort", "case-report",
                     "preclinical", "review", "knowledge-base", "news", "manufacturer", "service", "organisation"]
# Kinds that count as clinical evidence for an activity call, and kinds that are weak on their own. A
# `trial-report` is a news or conference report of a trial's results when the paper itself was not read: its
# figures are clinical evidence, but secondary, so it is marked wherever it is cited, as news is.
CLINICAL_KINDS = frozenset({"trial", "trial-report", "cohort", "case-report", "regulatory", "guideline"})
WEAK_KINDS = frozenset({"news", "trial-report", "manufacturer"})

Topic = Literal["gene", "fusions", "patients", "brain", "testing", "treatment", "after-progression", "resistance",
                "trials", "support"]

# The settings (lines of treatment) a UK status is given for. A status holds only in its own setting.
UkSetting = Literal["first-line", "after-ros1-inhibitor"]
UK_SETTINGS: tuple[str, ...] = get_args(UkSetting)
UkStatusWord = Literal["routine", "not covered", "not recommended", "not appraised", "not licensed",
                       "not confirmed"]

# What can change a time-sensitive statement: a regulator's decision, a funding body's appraisal, a guideline's
# update or a trial's readout. A statement naming one shows its date to the learner ("as of ...").
ChangeKind = Literal["regulatory", "funding", "guideline", "trial"]

ActivityLevel = Literal["active", "reduced", "resistant", "unknown"]
Evidence = Literal["clinical", "preclinical", "predicted", "none"]


class SourceLink:
    """The link of a source record (a validated model or a snapshot's record) with pmid, doi and url."""

    if TYPE_CHECKING:  # declared for the type checker only, so the schema's fields keep their own order
        pmid: str | None
        doi: str | None
        url: str | None

    @property
    def link(self) -> str:
        """The best link to read the source: DOI, then PubMed, then its URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url or ""
