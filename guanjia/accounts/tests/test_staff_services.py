"""Staff accounts: create, edit, deactivate and reactivate (never delete), passwords."""

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.accounts.models import User
from guanjia.accounts.services import (
    StaffDetails,
    create_staff,
    deactivate_staff,
    reactivate_staff,
    set_staff_password,
    update_staff,
)
from guanjia.accounts.tests.factories import staff


def _codes(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def _create(world, username="zhangsan", **details):
    details = {"full_name": "张三", **details}
    return create_staff(username=username, details=StaffDetails(**details), by=world.user("admin"))


def test_an_admin_creates_an_account_in_the_company_with_a_generated_password(world):
    new = _create(world, staff_no="S100", phone="13800001234", email="z@example.com")
    user = User.objects.get(username="zhangsan")
    assert (user.full_name, user.staff_no, user.phone, user.company) == (
        "张三",
        "S100",
        "13800001234",
        world.company,
    )
    assert new.generated
    assert len(new.password) == 12
    assert authenticate(username="zhangsan", password=new.password) == user
    assert user.memberships.count() == 0


def test_an_admin_may_set_the_initial_password(world):
    new = create_staff(
        username="lisi",
        details=StaffDetails("李四"),
        password="Gj-2026-lisi!",
        by=world.user("admin"),
    )
    assert not new.generated
    assert authenticate(username="lisi", password="Gj-2026-lisi!") is not None


def test_a_weak_initial_password_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        create_staff(
            username="lisi", details=StaffDetails("李四"), password="123", by=world.user("admin")
        )
    assert "password" in exc.value.error_dict
    assert not User.objects.filter(username="lisi").exists()


def test_a_duplicate_username_is_refused_whatever_its_case(world):
    _create(world)
    with pytest.raises(ValidationError) as exc:
        _create(world, username="ZhangSan")
    assert _codes(exc) == {"username": ["duplicate_username"]}
    assert exc.value.error_dict["username"][0].messages == [
        "A staff account with the username “ZhangSan” already exists."
    ]
    assert User.objects.filter(username__iexact="zhangsan").count() == 1


@pytest.mark.parametrize("username", ["", "zhang san", "a/b"])
def test_a_bad_username_is_refused(world, username):
    with pytest.raises(ValidationError) as exc:
        _create(world, username=username)
    assert list(exc.value.error_dict) == ["username"]


@pytest.mark.parametrize("phone", ["12800001234", "1380000123", "abc"])
def test_a_phone_that_is_not_a_chinese_mobile_is_refused(world, phone):
    with pytest.raises(ValidationError) as exc:
        _create(world, phone=phone)
    assert _codes(exc) == {"phone": ["invalid_mobile"]}
    assert not User.objects.filter(username="zhangsan").exists()


def test_a_bad_email_and_a_missing_name_are_both_reported(world):
    with pytest.raises(ValidationError) as exc:
        _create(world, full_name=" ", email="nope")
    assert set(exc.value.error_dict) == {"full_name", "email"}


def test_a_staff_number_is_unique_in_the_company(world):
    _create(world, staff_no="S1")
    with pytest.raises(ValidationError) as exc:
        _create(world, username="lisi", staff_no="s1")
    assert _codes(exc) == {"staff_no": ["duplicate_staff_no"]}


def test_only_holders_of_add_user_create_accounts(world):
    with pytest.raises(PermissionDenied):
        create_staff(username="x", details=StaffDetails("X"), by=world.user("director"))
    assert not User.objects.filter(username="x").exists()


def test_an_update_changes_the_roster_fields_and_records_who_did_it(world):
    user = _create(world).user
    update_staff(
        user=user, details=StaffDetails("张三丰", "S9", "13900001234", ""), by=world.user("admin")
    )
    user.refresh_from_db()
    assert (user.full_name, user.staff_no, user.phone) == ("张三丰", "S9", "13900001234")
    latest = user.history.first()
    assert latest.history_user == world.user("admin")
    assert latest.full_name == "张三丰"


def test_an_update_with_a_bad_phone_changes_nothing(world):
    user = _create(world, phone="13800001234").user
    with pytest.raises(ValidationError):
        update_staff(user=user, details=StaffDetails("改", phone="123"), by=world.user("admin"))
    user.refresh_from_db()
    assert (user.full_name, user.phone) == ("张三", "13800001234")


def test_deactivation_keeps_the_account_and_its_roles_and_records_the_reason(world):
    user = staff("receptionist", world.a, company=world.company)
    deactivate_staff(user=user, by=world.user("admin"), reason="离职")
    user.refresh_from_db()
    assert not user.is_active
    assert user.memberships.count() == 1
    assert user.history.first().history_change_reason == "离职"
    assert user.history.first().history_user == world.user("admin")


def test_a_deactivated_account_cannot_log_in_and_its_open_session_ends(world, client):
    user = staff("receptionist", world.a, company=world.company)
    client.force_login(user)
    assert client.get("/").status_code == 200
    deactivate_staff(user=user, by=world.user("admin"), reason="离职")
    assert client.get("/").status_code == 302
    assert authenticate(username=user.username, password="test-pass-123") is None


def test_deactivation_needs_a_reason(world):
    user = staff("receptionist", world.a, company=world.company)
    with pytest.raises(ValidationError) as exc:
        deactivate_staff(user=user, by=world.user("admin"), reason="  ")
    assert _codes(exc) == {"reason": ["reason_required"]}
    user.refresh_from_db()
    assert user.is_active


def test_an_admin_cannot_deactivate_their_own_account(world):
    admin = world.user("admin")
    with pytest.raises(ValidationError) as exc:
        deactivate_staff(user=admin, by=admin, reason="test")
    assert exc.value.code == "deactivate_self"


def test_deactivating_twice_is_refused(world):
    user = staff("receptionist", world.a, company=world.company)
    deactivate_staff(user=user, by=world.user("admin"), reason="离职")
    with pytest.raises(ValidationError) as exc:
        deactivate_staff(user=user, by=world.user("admin"), reason="again")
    assert exc.value.code == "already_inactive"


def test_reactivation_lets_the_account_log_in_again(world):
    user = staff("receptionist", world.a, company=world.company)
    deactivate_staff(user=user, by=world.user("admin"), reason="离职")
    reactivate_staff(user=user, by=world.user("admin"), reason="返聘")
    assert authenticate(username=user.username, password="test-pass-123") == user
    with pytest.raises(ValidationError) as exc:
        reactivate_staff(user=user, by=world.user("admin"))
    assert exc.value.code == "already_active"


def test_an_administrator_sets_a_new_password_and_the_history_notes_it(world):
    user = staff("receptionist", world.a, company=world.company)
    new = set_staff_password(user=user, by=world.user("admin"))
    assert new.generated
    assert authenticate(username=user.username, password=new.password) == user
    assert user.history.first().history_change_reason == "Password set by an administrator"


def test_the_password_is_never_kept_in_the_history(world):
    user = _create(world).user
    assert not hasattr(user.history.first(), "password")


@pytest.mark.django_db
def test_login_sets_last_login_without_a_history_row(client):
    from guanjia.accounts.models import User

    user = User.objects.create_user(username="history-login", password="pw-Guanjia-2026")
    rows = user.history.count()
    assert client.login(username="history-login", password="pw-Guanjia-2026")
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == rows


def test_a_username_is_normalised_as_at_login(world):
    _create(world, username="ｚｈａｎｇｓａｎ２")  # typed with a full-width input method
    assert User.objects.filter(username="zhangsan2").exists()


@pytest.mark.parametrize("username", ["adm\u0456n", "\u0440etrov", "zhang\u03b1"])
def test_a_username_mixing_alphabets_is_refused(world, username):
    with pytest.raises(ValidationError) as exc:
        _create(world, username=username)
    assert _codes(exc) == {"username": ["mixed_scripts"]}
    assert not User.objects.filter(full_name="张三").exists()


@pytest.mark.parametrize(
    ("name", "code"), [("\u200b\u200b", "invisible_name"), ("张\u202e三", "control_characters")]
)
def test_a_staff_name_of_invisible_or_direction_characters_is_refused(world, name, code):
    with pytest.raises(ValidationError) as exc:
        _create(world, full_name=name)
    assert _codes(exc) == {"full_name": [code]}
