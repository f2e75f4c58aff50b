"""The demo service desk loads once and is idempotent."""

from django.core.management import call_command

from guanjia.tickets.models import Complaint, RepairOrder, ServiceRequest


def test_the_demo_desk_loads_once(db):
    call_command("load_demo", "--history-scale", "0.1", verbosity=0)
    first = ServiceRequest.objects.count()
    call_command("load_demo", "--history-scale", "0.1", verbosity=0)
    assert first > 0
    assert ServiceRequest.objects.count() == first
    assert Complaint.objects.filter(status="replied").exists()
    assert RepairOrder.objects.filter(status="completed").exists()
