"""author_merge_report: what the identity resolution merged, and what it may have split."""

from __future__ import annotations

from datetime import date

import pytest

from tests.warehouse.conftest import paper

DAY = date(2025, 12, 25)


def listed(paper_id, author_id, position, name):
    return {"paper_id": paper_id, "listing_date": DAY, "author_id": author_id, "position": position, "name_as_listed": name}


def author(author_id, name, identity_key, hf_username=None):
    return {"author_id": author_id, "name": name, "identity_key": identity_key, "hf_username": hf_username}


@pytest.fixture
def warehouse(hand_warehouse):
    hand_warehouse.insert("papers", [paper(p, DAY) for p in ("p1", "p2", "p3", "p4")])
    hand_warehouse.insert(
        "authors",
        [
            author("jegou", "Hervé Jégou", "name:herve jegou"),
            author("xuelin", "Xuelin Chen", "hf:xuelinchen", "XuelinChen"),
            author("sheny", "Yang Shen", "hf:sheny", "sheny"),
            author("yangshen", "Yang Shen", "name:yang shen"),
            author("carol", "Carol", "name:carol"),
        ],
    )
    hand_warehouse.insert(
        "paper_authors",
        [
            # One name-keyed author under two spellings that differ only by accents.
            listed("p1", "jegou", 1, "Hervé Jégou"),
            listed("p2", "jegou", 1, "Herve Jegou"),
            # One claimed account linked to two different names (real: 2405.14979).
            listed("p1", "xuelin", 2, "Rui Chen"),
            listed("p2", "xuelin", 2, "Xuelin Chen"),
            # A claimed account listed as "Yang Shen", and an unclaimed "Yang Shen" elsewhere.
            listed("p3", "sheny", 1, "Yang Shen"),
            listed("p4", "yangshen", 1, "Yang Shen"),
            # One spelling, no claim: nothing to report.
            listed("p4", "carol", 2, "Carol"),
        ],
    )
    return hand_warehouse


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (" José  Pérez-Luna.", "jose perez luna"),  # accents, hyphen, trailing dot, double space
        ("ŁUKASZ Işık", "lukasz isik"),  # letters without a Unicode decomposition
        ("Conan O'Brien", "conan obrien"),  # apostrophes join, as in the ingest
        ("张 伟", "张 伟"),  # other scripts are kept, not dropped
    ],
)
def test_normalise_name_folds_like_the_ingest(hand_warehouse, name, expected):
    assert hand_warehouse.rows("SELECT normalise_name(?) AS n", [name])[0]["n"] == expected


def test_merge_report_lists_each_kind_once(warehouse):
    rows = warehouse.rows("SELECT kind, author_id, spellings, spelling_count, papers, related_author_id FROM author_merge_report")
    assert rows == [
        {
            "kind": "claimed_names_differ",
            "author_id": "xuelin",
            "spellings": ["Rui Chen", "Xuelin Chen"],
            "spelling_count": 2,
            "papers": 2,
            "related_author_id": None,
        },
        {
            "kind": "name_matches_claimed",
            "author_id": "yangshen",
            "spellings": ["Yang Shen"],
            "spelling_count": 1,
            "papers": 1,
            "related_author_id": "sheny",
        },
        {
            "kind": "spelling_variants",
            "author_id": "jegou",
            "spellings": ["Herve Jegou", "Hervé Jégou"],
            "spelling_count": 2,
            "papers": 2,
            "related_author_id": None,
        },
    ]  # carol and sheny (one spelling each, sheny being the related side) have no row of their own


def test_name_similarity_separates_spelling_variants_from_different_names(warehouse):
    similarity = {r["author_id"]: r["name_similarity"] for r in warehouse.rows("SELECT * FROM author_merge_report")}
    assert similarity["jegou"] == 1.0  # both fold to 'herve jegou'
    assert 0.0 < similarity["xuelin"] < 0.9  # 'rui chen' vs 'xuelin chen'
