"""Author identity: name normalisation, identity keys, stable author ids."""

from __future__ import annotations

import hashlib

import polars as pl
import pytest
from polars.testing import assert_series_equal

from transforms import author_id_expr, author_id_for, author_identity_key_expr, normalise_person_name, normalise_person_name_expr

# (listed name, normalised) worked out by hand from the rule: NFKD, drop accents, fold letters NFKD
# cannot split, lowercase, apostrophes dropped, other punctuation -> space, whitespace collapsed.
NAME_CASES = [
    ("Zoë Ng", "zoe ng"),  # combining diaeresis dropped
    ("Łukasz Borchmann", "lukasz borchmann"),  # Ł has no decomposition: folded by hand
    ("Gül Sena Altıntaş", "gul sena altintas"),  # dotless ı folded, ş decomposes
    ("Søren Kierkegaard", "soren kierkegaard"),  # ø folded
    ("JEAN-PIERRE  Dupont", "jean pierre dupont"),  # case, hyphen -> space, double space collapsed
    ("Sean O'Brien", "sean obrien"),  # apostrophe joins
    ("Russell J. Hewett", "russell j hewett"),  # initial's dot removed
    ("  Ann\tLee\n", "ann lee"),  # stray whitespace trimmed
    ("ＡＢＣ Ｄｅｆ", "abc def"),  # full-width letters are NFKD-compatible with ASCII
    ("李明", "李明"),  # no case, no accents: unchanged
]


@pytest.mark.parametrize(("name", "expected"), NAME_CASES)
def test_normalise_person_name(name, expected):
    assert normalise_person_name(name) == expected


def test_expression_and_function_agree():
    names = pl.Series("name", [name for name, _ in NAME_CASES] + [None])
    by_expression = names.to_frame().select(normalise_person_name_expr(pl.col("name"))).to_series()
    by_function = pl.Series("name", [normalise_person_name(name) for name in names.to_list()], dtype=pl.Utf8)
    assert_series_equal(by_expression, by_function)


def test_normalise_rejects_non_strings():
    with pytest.raises(TypeError, match="expects a string, got int"):
        normalise_person_name(7)


def test_author_id_is_sha1_prefix_and_matches_the_expression():
    keys = ["hf:akhaliq", "name:yang shen", "name:lukasz borchmann"]
    expected = [hashlib.sha1(key.encode()).hexdigest()[:16] for key in keys]
    assert [author_id_for(key) for key in keys] == expected
    ids = pl.DataFrame({"k": keys}).select(author_id_expr(pl.col("k"))).to_series().to_list()
    assert ids == expected


def test_identity_key_claimed_pending_and_unlinked():
    slots = pl.DataFrame(
        {
            # claimed account: identity follows the HF username, not the printed name
            "name": ["Chris Ociepa", "Rui Chen", "Zoë Ng", "Zoe  NG", "---"],
            "username": ["kociepa", "XuelinChen", None, None, None],
            # extracted_pending: HF guessed the link, nobody confirmed it -> keyed by name
            "status": ["admin_assigned", "extracted_pending", None, None, None],
        }
    )
    keys = slots.select(author_identity_key_expr(pl.col("name"), pl.col("username"), pl.col("status"))).to_series()
    assert keys.to_list() == [
        "hf:kociepa",
        "name:rui chen",
        "name:zoe ng",  # accent and case variants of one person meet here
        "name:zoe ng",
        "name:---",  # nothing left after normalisation: keyed on the raw text, not on an empty name
    ]
