"""Turning what people type into the course's names: case, prefixes, HGVS three-letter codes."""

from __future__ import annotations

import difflib
import re

# IUPAC amino-acid codes (HGVS protein nomenclature), three letters to one.
_AMINO_ACIDS = {
    "ALA": "A", "ARG": "R", "ASN": "N", "ASP": "D", "CYS": "C", "GLN": "Q", "GLU": "E", "GLY": "G",
    "HIS": "H", "ILE": "I", "LEU": "L", "LYS": "K", "MET": "M", "PHE": "F", "PRO": "P", "SER": "S",
    "THR": "T", "TRP": "W", "TYR": "Y", "VAL": "V",
}
_THREE_LETTER_CHANGE = re.compile(r"^([A-Z]{3})(\d+)([A-Z]{3})$")


def normalise_name(text: str) -> str:
    """Case- and space-insensitive key for gene symbols and drug names: ' cd74 ' -> 'CD74'."""
    return re.sub(r"[\s_]+", "", text).upper()


def normalise_partner(text: str) -> str:
    """Key for a fusion partner, also from a fusion's name: 'cd74', 'CD74-ROS1', 'ROS1-CD74', 'CD74::ROS1' -> 'CD74'."""
    key = normalise_name(text)
    key = re.sub(r"^ROS1(?:::|[-:/])(?=.)", "", key)
    return re.sub(r"(?<=.)(?:::|[-:/])ROS1$", "", key)


def normalise_mutation(text: str) -> str:
    """Key for a protein change: 'ROS1 p.Gly2032Arg', 'p.G2032R', 'g2032r' -> 'G2032R'."""
    key = normalise_name(text)
    key = re.sub(r"^ROS1[:\-]?", "", key)
    key = key.removeprefix("P.")
    key = key.strip("()")
    three = _THREE_LETTER_CHANGE.match(key)
    if three and three.group(1) in _AMINO_ACIDS and three.group(3) in _AMINO_ACIDS:
        key = f"{_AMINO_ACIDS[three.group(1)]}{three.group(2)}{_AMINO_ACIDS[three.group(3)]}"
    return key


def closest(query: str, candidates: list[str], limit: int = 3) -> list[str]:
    """Up to `limit` candidates that look like `query` (case-insensitive), best first."""
    by_key = {candidate.upper(): candidate for candidate in candidates}
    matches = difflib.get_close_matches(query.strip().upper(), list(by_key), n=limit, cutoff=0.6)
    return [by_key[match] for match in matches]
