"""The pages: refusals shown on the form with 400 and nothing saved, one's own rows only,
another community's rows 404, the sheet's lock on the page, the export and the KPIs."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guanjia.attendance import services
from guanjia.attendance.models import Leave, MissingPunch, RosterEntry, ShiftSwap
from guanjia.core.files.registry import file_url
from guanjia.core.imports.models import ImportBatch

from .factories import MONTH, day, rostered, worker

pytestmark = pytest.mark.django_db
NEXT = (MONTH + dt.timedelta(days=70)).replace(day=3)


def _leave_post(world, role="receptionist", **data):
    body = {"kind": "personal", "starts_on": f"{NEXT}", "ends_on": f"{NEXT}",
            "explanation": "有事", **data}  # fmt: skip
    return world.client(role).post(reverse("attendance:leave-create"), body)


def test_leave_is_asked_on_the_page(world):
    response = _leave_post(world)
    assert response.status_code == 302
    assert Leave.objects.get().employee == world.user("receptionist")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ends_on": f"{NEXT - dt.timedelta(days=1)}"}, "请假结束日期不能早于开始日期"),
        ({"kind": "holiday"}, "holiday"),
        ({"starts_on": "明天"}, "日期"),
        ({"explanation": ""}, "explanation"),
        ({"kind": "sick"}, "病假须附病假证明"),
    ],
)
def test_bad_leave_is_refused_on_the_form(world, data, message):
    response = _leave_post(world, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Leave.objects.exists()


def test_overlapping_leave_is_refused_on_the_form(world):
    _leave_post(world)
    response = _leave_post(world)
    assert response.status_code == 400
    assert "重叠" in response.content.decode()
    assert Leave.objects.count() == 1


def test_a_disguised_certificate_is_refused_on_the_form(world):
    fake = SimpleUploadedFile("证明.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = _leave_post(world, kind="sick", attachment=fake)
    assert response.status_code == 400
    assert not Leave.objects.exists()


def test_the_certificate_is_served_to_managers_not_to_colleagues(world):
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    _leave_post(world, kind="sick", attachment=pdf)
    url = file_url(Leave.objects.get(), "attachment")
    assert world.client("supervisor").get(url).status_code == 200
    assert world.client("cashier").get(url).status_code == 403


def test_staff_see_only_their_own_leave(world):
    _leave_post(world)
    leave = Leave.objects.get()
    assert world.client("cashier").get(reverse("attendance:leave-detail", args=[leave.pk])
                                       ).status_code == 404  # fmt: skip
    listing = world.client("cashier").get(reverse("attendance:leave-list"))
    assert "有事" not in listing.content.decode()
    assert world.client("supervisor").get(reverse("attendance:leave-detail", args=[leave.pk])
                                          ).status_code == 200  # fmt: skip


def test_approving_ones_own_leave_on_the_page_is_403(world):
    _leave_post(world, role="supervisor")
    leave = Leave.objects.get()
    response = world.client("supervisor").post(
        reverse("attendance:leave-decide", args=[leave.pk]), {"go": "approve"}
    )
    assert response.status_code == 403
    assert Leave.objects.get().status == "requested"


def test_a_rejection_without_a_reason_is_400(world):
    _leave_post(world)
    leave = Leave.objects.get()
    response = world.client("supervisor").post(
        reverse("attendance:leave-decide", args=[leave.pk]), {"go": "reject"}
    )
    assert response.status_code == 400
    assert Leave.objects.get().status == "requested"


def test_a_bad_plan_is_refused_on_the_form(world):
    from guanjia.desk.tests.factories import post_and_shift

    post, shift = post_and_shift(world)
    body = {"post": post.pk, "shift": shift.pk, "employee": worker(world).pk,
            "first": f"{NEXT}", "last": f"{NEXT - dt.timedelta(days=2)}"}  # fmt: skip
    response = world.client("supervisor").post(reverse("attendance:roster-plan"), body)
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not RosterEntry.objects.exists()
    body["employee"] = 999_999
    response = world.client("supervisor").post(reverse("attendance:roster-plan"), body)
    assert response.status_code == 400


def test_the_roster_grid_and_its_print(world):
    person = worker(world)
    post, _shift = rostered(world, person, NEXT)
    for name in ("attendance:roster", "attendance:roster-print"):
        response = world.client("receptionist").get(
            reverse(name), {"post": post.pk, "month": f"{NEXT:%Y-%m}"}
        )
        assert response.status_code == 200
        assert person.full_name in response.content.decode()


def test_a_swap_with_someone_off_the_post_is_refused_on_the_form(world):
    me = world.user("receptionist")
    (entry,) = services.plan_roster(
        post=rostered(world, worker(world, "李四", "A002"), NEXT)[0],
        shift=RosterEntry.objects.get().shift, employee=me, first=NEXT + dt.timedelta(days=1),
        last=NEXT + dt.timedelta(days=1), by=world.user("supervisor"),
    )  # fmt: skip
    stranger = worker(world, "王五", "A003")
    response = world.client("receptionist").post(
        reverse("attendance:swap-create"),
        {"entry": entry.pk, "kind": "cover", "substitute": stranger.pk, "explanation": "有事"},
    )
    assert response.status_code == 400
    assert "不在" in response.content.decode()
    assert not ShiftSwap.objects.exists()


def test_missing_punch_in_the_future_is_refused_on_the_form(world):
    response = world.client("receptionist").post(
        reverse("attendance:missing-create"),
        {"at": "2099-01-01T08:00", "explanation": "忘记"},
    )
    assert response.status_code == 400
    assert not MissingPunch.objects.exists()


def test_a_file_that_is_not_a_punch_file_is_refused_and_nothing_is_saved(world):
    response = world.client("supervisor").post(
        reverse("attendance:punch-import"),
        {"file": SimpleUploadedFile("x.txt", b"hello", content_type="text/plain")},
    )
    assert response.status_code == 400
    assert not ImportBatch.objects.exists()


def test_bad_column_names_are_refused_on_the_form(world):
    response = world.client("supervisor").post(
        reverse("attendance:punch-columns"), {"staff_no": "工号", "punched_at": ""}
    )
    assert response.status_code == 400


def test_the_sheet_submitted_on_the_page_then_editing_is_refused(world):
    person = worker(world)
    rostered(world, person, day(3))
    client = world.client("supervisor")
    response = client.post(reverse("attendance:sheet-submit"), {"month": f"{MONTH:%Y-%m}"})
    assert response.status_code == 302
    page = client.get(reverse("attendance:sheet"), {"month": f"{MONTH:%Y-%m}"})
    assert person.full_name in page.content.decode()
    again = client.post(reverse("attendance:sheet-submit"), {"month": f"{MONTH:%Y-%m}"})
    assert again.status_code == 400
    bad = client.post(reverse("attendance:sheet-submit"), {"month": "2026-13"})
    assert bad.status_code == 400
    from guanjia.desk.models import Post

    post = Post.objects.get()
    plan = client.post(reverse("attendance:roster-plan"), {
        "post": post.pk, "shift": post.shifts.get().pk, "employee": person.pk,
        "first": f"{day(5)}", "last": f"{day(5)}",
    })  # fmt: skip
    assert plan.status_code == 400
    assert "需由人事" in plan.content.decode() or "须由人事" in plan.content.decode()


def test_the_sheet_exports_and_the_kpis_show(world):
    person = worker(world)
    rostered(world, person, day(3))
    services.compute(world.a, day(1), day(28))
    export = world.client("supervisor").get(reverse("attendance:sheet-export"),
                                            {"month": f"{MONTH:%Y-%m}"})  # fmt: skip
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    kpis = world.client("supervisor").get(reverse("attendance:kpis"), {"month": f"{MONTH:%Y-%m}"})
    assert kpis.status_code == 200
    assert "<svg" in kpis.content.decode()


def test_an_employee_page_is_for_managers_and_oneself(world):
    person = world.user("receptionist")
    url = reverse("attendance:employee", args=[person.pk])
    assert world.client("supervisor").get(url).status_code == 200
    assert world.client("receptionist").get(url).status_code == 200
    assert world.client("cashier").get(url).status_code == 403


def test_the_roster_flags_who_has_not_passed_the_induction_test(world):
    from guanjia.training.services import assign_induction

    person, other = worker(world), worker(world, "李四", "A002")
    post, _shift = rostered(world, person, NEXT)
    rostered(world, other, NEXT)
    assign_induction(community=world.a, employee=person, by=None)
    response = world.client("supervisor").get(
        reverse("attendance:roster"), {"post": post.pk, "month": f"{NEXT:%Y-%m}"}
    )
    page = response.content.decode()
    assert page.count("data-untrained") == 1
    assert "未培训合格" in page
