"""Every page, shown in Chinese, has no English left in it: a label or message that is not
marked for translation, or is built in the language active at import, shows up here.

The pages are the route matrix's GET routes (`<app>/tests/routes.py`), each opened by its
allowed role in zh-hans. A run of two or more English words in the visible text fails the
test; the allowed ones are data, not interface (listed below with the reason)."""

import re

import pytest

from guanjia.core.tests.matrix import all_cases, prepare

CASES = all_cases()

PAGES = sorted(k for k, c in CASES.items() if c.method == "GET" and c.allowed and not c.api)
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]{3,}(?:\s+[a-z]{2,})+\b")
HIDDEN = re.compile(r"<script.*?</script>|<style.*?</style>", re.S)
# Route -> English text that is data or deliberate, not a missing translation.
ALLOWED = {
    # The upload page lists each column's Chinese header with its accepted English one.
    "imports:upload|GET": {"Community codes", "Full name", "Staff no"},
    # A bill line's formula is written in the language of whoever posted the run (here the
    # test data, posted in English).
    "billing:run-detail|GET": {"building area"},
    # Test data: the job's label and the uploaded file's name.
    "jobs:jobrun-detail|GET": {"Matrix job"},
    "imports:batch-detail|GET": {"xlsx data"},
}


def _visible_text(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", HIDDEN.sub(" ", html))
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("key", PAGES)
def test_the_chinese_page_has_no_english_left(world, key):
    case = CASES[key]
    world.language = "zh-hans"
    url, query = prepare(case, world, world.a)
    response = world.client(case.allowed).get(url, query)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return  # a redirect, a file or a PDF: nothing to read
    found = set(ENGLISH_RUN.findall(_visible_text(response.content.decode())))
    assert not found - ALLOWED.get(key, set())
