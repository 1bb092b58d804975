"""Fixtures for extraction tests."""

from __future__ import annotations

import pytest

from tests.extract.pages import article_page


@pytest.fixture
def page() -> bytes:
    return article_page().encode("utf-8")
