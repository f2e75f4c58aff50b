import pytest


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the message ids); Chinese is the catalogue's job."""
    from django.utils import translation

    with translation.override("en"):
        yield
