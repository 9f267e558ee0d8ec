"""dashboard.link_table: the URLs a link table's click opens in the same tab."""

from __future__ import annotations

import re

import pytest

from dashboard.link_table import ENTITY_URL
from dashboard.links import ENTITIES, labelled_url, parse_url

OTHER_URLS = [
    "https://huggingface.co/annli",
    "https://github.com/org/repo",
    "/papers?from=2025-01-01",
    "/paperx?id=1",
    "/author?page=2",
    "/author?id=",
    "//elsewhere.example/author?id=a-ann",
    "author?id=a-ann",
]


@pytest.mark.parametrize("url", [labelled_url(entity, "k 1", "A & B") for entity in ENTITIES] + ["/author?page=2&id=a-ann"])
def test_an_entity_url_is_taken_in_the_tab(url):
    assert parse_url(url)
    assert re.search(ENTITY_URL, url)


@pytest.mark.parametrize("url", OTHER_URLS)
def test_any_other_url_still_opens_a_new_tab(url):
    assert not parse_url(url)
    assert not re.search(ENTITY_URL, url)
