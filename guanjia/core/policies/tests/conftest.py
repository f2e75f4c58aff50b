import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted by their English ids, whatever the catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_of(world):
    """A logged-in client for a role that asks for English pages."""

    def make(role):
        client = world.client(role)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make
