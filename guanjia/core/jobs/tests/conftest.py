import pytest

from guanjia.core.numbering.models import DocumentSequence


@pytest.fixture
def counter(world) -> DocumentSequence:
    """A row whose number the test tasks increment: it shows how often the work was done."""
    return DocumentSequence.objects.create(
        company=world.company, community=world.a, kind="test.counter", year=2026
    )


def counted(counter: DocumentSequence) -> int:
    counter.refresh_from_db()
    return counter.last_number
