import pytest

from guanjia.core.imports.registry import register_importer, unregister

from .factories import Note, SampleImporter


@pytest.fixture
def sample_importer():
    """The test-only community-scoped importer, registered for one test."""
    register_importer(SampleImporter)
    Note.written = []
    yield SampleImporter
    unregister(SampleImporter.code)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the message ids); Chinese is the catalogue's job."""
    from django.utils import translation

    with translation.override("en"):
        yield
