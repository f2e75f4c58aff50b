"""The account's language: kept by the switch, used for pages and for notifications."""

import pytest
from django.conf import settings

from guanjia.accounts.tests.factories import UserFactory
from guanjia.core.notifications.services import notify

PASSWORD = "pw-Guanjia-2026"
POLICY_CONTEXT = {
    "policy": "complaint.first_reply_hours",
    "proposed_by": "王主管",
    "scope": "翠湖花园",
    "old_value": "24",
    "new_value": "12",
}


@pytest.fixture
def staff(db):
    user = UserFactory(username="lang-user")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_switch_keeps_the_choice_on_the_account(client, staff):
    client.force_login(staff)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/inbox/"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.language == "en"


def test_an_unknown_language_is_not_kept(client, staff):
    client.force_login(staff)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/inbox/"})
    staff.refresh_from_db()
    assert staff.language == ""


def test_the_switch_before_login_keeps_nothing(client, staff):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.language == ""


def test_a_new_browser_shows_pages_in_the_account_language(client, staff):
    staff.language = "en"
    staff.save()
    client.force_login(staff)
    page = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="en"' in page


def test_the_browser_cookie_wins_over_the_account(client, staff):
    staff.language = "en"
    staff.save()
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get("/inbox/").content.decode()
    assert 'lang="zh-hans"' in page


@pytest.mark.parametrize(
    ("language", "word"), [("en", "proposed"), ("zh-hans", "提议"), ("", "提议")]
)
def test_notifications_are_written_in_the_account_language(staff, language, word):
    staff.language = language
    staff.save()
    notification = notify(staff, "policy.proposal_submitted", POLICY_CONTEXT)
    assert word in (notification.subject + notification.body)
