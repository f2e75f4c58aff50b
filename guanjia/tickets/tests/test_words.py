"""Issue 11: the desk's Chinese words say what they mean (the spec's terms)."""

from django.urls import reverse
from django.utils import translation

from guanjia.tickets.forms import ActionForm, DecideQuoteForm, VerifyForm
from guanjia.tickets.models import ReplyMethod

from .factories import complaint


def test_reply_methods_read_as_ways_of_replying_not_as_contact_channels(world):
    with translation.override("zh-hans"):
        labels = dict(ReplyMethod.choices)
        assert str(labels["phone"]) == "电话回复"
        assert str(labels["letter"]) == "书面回复"
        assert "来电" not in {str(label) for label in labels.values()}
        assert "来函" not in {str(label) for label in labels.values()}
    with translation.override("en"):
        assert str(dict(ReplyMethod.choices)["letter"]) == "In writing"


def test_form_labels_name_the_right_people(world):
    with translation.override("zh-hans"):
        assert str(ActionForm(community=world.a).fields["owner"].label) == "责任人"
        assert str(VerifyForm(community=world.a).fields["satisfied"].label) == "住户评价"
        assert str(DecideQuoteForm(community=world.a).fields["accepted"].label) == "住户意见"


def test_the_register_shows_the_time_received_as_a_time(world):
    complaint(world, world.a)
    page = world.client("receptionist").get(
        reverse("tickets:request-list"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = page.content.decode()
    assert "受理时间" in text
    assert "受理数" not in text
    assert "反映人" in text
