"""Staff accounts from Excel through the import framework, and back (round trip)."""

import io

import pytest
from django.contrib.auth.models import Group

from guanjia.accounts.models import Membership, User
from guanjia.accounts.tests.factories import UserFactory, staff
from guanjia.core.imports.models import ImportStatus
from guanjia.core.imports.services import commit_import, export_or_enqueue, upload_import
from guanjia.core.imports.tests.factories import upload, xlsx_upload
from guanjia.core.tests.factories import CommunityFactory, CompanyFactory

HEADER = ["用户名", "姓名", "工号", "手机", "邮箱", "角色", "小区代码"]


def _upload(world, rows, header=HEADER):
    return upload_import(
        kind="staff", upload=xlsx_upload([header, *rows]), by=world.user("admin"), community=None
    )


def _errors(batch):
    return [(e["line"], e["column"], e["message"]) for e in batch.errors]


def _roles(user):
    return sorted(
        (m.role.name, m.community.code if m.community else None)
        for m in user.memberships.active_on().select_related("role", "community")
    )


def test_new_accounts_and_their_roles_are_created_in_one_go(world):
    batch = _upload(
        world,
        [
            ["zhang", "张三", "S100", "138 0000 1234", "z@example.com", "前台接待员", "a"],
            ["zhang", "", "", "", "", "cashier", "a，b"],
            ["zhou", "周丽", "S101", "", "", "财务", ""],
        ],
    )
    assert batch.status == ImportStatus.VALIDATED, batch.errors
    batch = commit_import(batch=batch, by=world.user("admin"))
    assert batch.report == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "counts": {"memberships": 3, "grant_requests": 1},
    }
    zhang = User.objects.get(username="zhang")
    assert (zhang.full_name, zhang.phone, zhang.company) == ("张三", "13800001234", world.company)
    assert _roles(zhang) == [("cashier", "a"), ("cashier", "b"), ("receptionist", "a")]
    zhou = User.objects.get(username="zhou")
    assert _roles(zhou) == []  # finance approves money: it waits for a second administrator
    assert zhou.grant_requests.get().role == "finance"
    assert not zhang.has_usable_password()  # an administrator sets it on the account page


def test_english_headers_and_role_labels_are_accepted(world):
    header = ["Username", "Full name", "Staff no.", "Mobile", "Email", "Role", "Community codes"]
    batch = _upload(world, [["li", "李四", "", "", "", "Cashier", "A"]], header=header)
    commit_import(batch=batch, by=world.user("admin"))
    assert _roles(User.objects.get(username="li")) == [("cashier", "a")]


def test_an_existing_account_is_updated_and_empty_cells_keep_its_values(world):
    clerk = staff(
        "receptionist",
        world.a,
        company=world.company,
        username="clerk",
        full_name="旧名",
        phone="13800005678",
    )
    batch = commit_import(
        batch=_upload(world, [["clerk", "新名", "", "", "", "", ""]]), by=world.user("admin")
    )
    clerk.refresh_from_db()
    assert (clerk.full_name, clerk.phone) == ("新名", "13800005678")
    assert batch.report["updated"] == 1


def test_an_unknown_role_or_community_is_a_row_error_and_nothing_is_saved(world):
    batch = _upload(
        world,
        [
            ["ok", "好", "", "", "", "前台", "a"],
            ["r1", "甲", "", "", "", "清洁工", "a"],
            ["r2", "乙", "", "", "", "收费员", "zz"],
        ],
    )
    assert batch.status == ImportStatus.FAILED
    assert _errors(batch) == [
        (
            3,
            "角色",
            "Unknown role “清洁工”. Use a role code or its name, e.g. receptionist / 前台接待员.",
        ),
        (4, "小区代码", "Unknown community code: zz."),
    ]
    assert not User.objects.filter(username__in=["ok", "r1", "r2"]).exists()


def test_a_community_of_another_company_is_unknown(world):
    CommunityFactory(company=CompanyFactory(name="别家"), code="other")
    batch = _upload(world, [["x", "某", "", "", "", "收费员", "other"]])
    assert _errors(batch) == [(2, "小区代码", "Unknown community code: other.")]


@pytest.mark.parametrize(
    ("role", "codes", "message"),
    [
        ("财务", "a", "Company finance is a company-wide role: leave the community codes empty."),
        ("收费员", "", "Cashier is held in a community: give its code."),
        ("", "a", "Give the role held in these communities."),
    ],
)
def test_roles_and_communities_must_fit_together(world, role, codes, message):
    batch = _upload(world, [["x", "某", "", "", "", role, codes]])
    assert _errors(batch) == [(2, "小区代码", message)]


def test_bad_cells_are_reported_per_column(world):
    batch = _upload(world, [["bad name", "", "", "12345", "nope", "", ""]])
    assert {column for _line, column, _message in _errors(batch)} == {
        "用户名",
        "姓名",
        "手机",
        "邮箱",
    }


def test_a_new_account_needs_a_name(world):
    batch = _upload(world, [["noname", "", "", "", "", "", ""]])
    assert _errors(batch) == [(2, "姓名", "A new account needs a full name.")]


def test_rows_of_one_username_must_not_contradict_each_other(world):
    batch = _upload(
        world,
        [
            ["twice", "同一人", "", "13800001234", "", "", ""],
            ["twice", "另一人", "", "", "", "", ""],
        ],
    )
    assert _errors(batch) == [(3, "姓名", "Differs from an earlier row for the same username.")]


def test_a_staff_number_taken_by_another_account_is_refused(world):
    UserFactory(company=world.company, staff_no="S1")
    batch = _upload(
        world,
        [
            ["new1", "新", "S1", "", "", "", ""],
            ["new2", "新", "S2", "", "", "", ""],
            ["new3", "新", "s2", "", "", "", ""],
        ],
    )
    assert [(line, column) for line, column, _m in _errors(batch)] == [(2, "工号"), (4, "工号")]


def test_a_username_of_another_company_cannot_be_updated(world):
    UserFactory(username="stranger", company=CompanyFactory(name="别家"))
    batch = _upload(world, [["stranger", "某", "", "", "", "", ""]])
    assert _errors(batch) == [
        (2, "用户名", "This username belongs to an account of another company.")
    ]


def test_a_deactivated_account_gets_no_role_from_an_import(world):
    UserFactory(username="gone", company=world.company, is_active=False)
    batch = _upload(world, [["gone", "", "", "", "", "收费员", "a"]])
    assert _errors(batch) == [(2, "角色", "The account is deactivated: reactivate it first.")]


def test_a_role_already_held_is_left_alone(world):
    staff("cashier", world.a, company=world.company, username="has")
    batch = commit_import(
        batch=_upload(world, [["has", "", "", "", "", "收费员", "a"]]), by=world.user("admin")
    )
    assert batch.report["counts"] == {"memberships": 0, "grant_requests": 0}
    assert Membership.objects.filter(user__username="has").count() == 1


def test_an_export_imports_back_without_changes(world):
    staff(
        "cashier",
        world.a,
        company=world.company,
        username="cash",
        full_name="赵敏",
        phone="13800005678",
        staff_no="S4",
    )
    exported = export_or_enqueue(kind="staff", params={}, by=world.user("admin"), community=None)
    batch = upload_import(
        kind="staff", upload=upload(exported.content), by=world.user("admin"), community=None
    )
    assert batch.status == ImportStatus.VALIDATED, batch.errors
    batch = commit_import(batch=batch, by=world.user("admin"))
    assert batch.report["created"] == 0
    assert batch.report["updated"] == 0
    assert batch.report["counts"] == {"memberships": 0, "grant_requests": 0}
    assert User.objects.get(username="cash").phone == "13800005678"  # the masked cell kept it


def test_a_masked_phone_for_a_new_account_is_refused(world):
    batch = _upload(world, [["newbie", "新", "", "138****5678", "", "", ""]])
    assert _errors(batch) == [(2, "手机", "A masked number can only stand for the stored one.")]


def test_a_role_that_became_a_duplicate_since_the_preview_refuses_the_whole_batch(world):
    clerk = staff("receptionist", world.a, company=world.company, username="clerk")
    batch = _upload(
        world, [["late", "新", "", "", "", "收费员", "a"], ["clerk", "", "", "", "", "收费员", "a"]]
    )
    clerk.is_active = False  # deactivated between preview and commit
    clerk.save()
    batch = commit_import(batch=batch, by=world.user("admin"))
    assert batch.status == ImportStatus.FAILED
    assert batch.errors[0]["line"] == 3
    assert not User.objects.filter(username="late").exists()
    assert Group.objects.get(name="cashier").memberships.filter(user=clerk).count() == 0


def test_only_an_admin_may_import_staff(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload_import(
            kind="staff",
            upload=xlsx_upload([HEADER, ["x", "某"]]),
            by=world.user("director"),
            community=world.a,
        )
    assert io  # the template and file checks are covered in core/imports/tests


def test_the_preview_masks_phone_numbers(world):
    from guanjia.accounts.importers import StaffImporter
    from guanjia.core.imports.selectors import preview_rows

    batch = _upload(world, [["zhang", "张三", "", "13800001234", "", "", ""]])
    assert preview_rows(batch, StaffImporter)[0].cells[3] == "138****1234"


def test_the_importer_cannot_give_themselves_a_role_through_the_file(world):
    admin = world.user("admin")
    batch = _upload(world, [[admin.username, "", "", "", "", "finance", ""]])
    assert batch.status == ImportStatus.FAILED
    assert _errors(batch) == [
        (2, "角色", "Nobody grants themselves a role: another administrator must give it to you.")
    ]
    assert _roles(admin) == [("admin", None)]
