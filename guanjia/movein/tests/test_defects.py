"""The joint inspection and its defects: the sheet from the community's template; a defect
needs its description (and a photo by the policy), gets the `movein.defect_fix_days`
deadline; reported fixed, re-inspected (not before), signed off by the owner or their agent
only; the unit's defects closed with the last; reopened after the sign-off: a warranty repair."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guanjia.core.workflows import WorkflowError

from .. import services
from ..models import Defect, DefectEvent, DefectState, DefectStatus, Inspection
from .factories import SIGN, delivered, photo_png, verified

pytestmark = pytest.mark.django_db
F = DefectStatus


def _photo(name="d.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, content or photo_png(), content_type=content_type)


def _sheet(world):
    d = verified(world)
    return services.start_inspection(delivery=d, by=world.user("area_manager"))


def test_the_sheet_comes_from_the_communitys_template(world):
    services.save_template(
        community=world.a, rooms="客厅\n厨房\n", items="墙面\n地面", by=world.user("director")
    )
    sheet = _sheet(world)
    assert sheet.rooms == ["客厅", "厨房"]
    assert sheet.items == ["墙面", "地面"]
    with pytest.raises(ValidationError):
        services.save_template(community=world.a, rooms=" ", items="x", by=world.user("director"))


def test_a_defect_gets_its_deadline_from_the_policy(world):
    sheet = _sheet(world)
    defect = services.add_defect(
        inspection=sheet, room=sheet.rooms[0], item=sheet.items[0], description="地砖空鼓",
        photo=_photo(), by=world.user("area_manager"),
    )  # fmt: skip
    assert defect.deadline == timezone.localdate() + dt.timedelta(days=15)
    assert defect.photo
    assert defect.status == F.OPEN


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"description": " "}, "description"),
        ({"photo": None}, "photo"),
        ({"room": "车库"}, "room"),
        ({"item": "泳池"}, "item"),
        ({"responsible": "nobody"}, "responsible"),
        ({"photo": "disguised"}, "photo"),
    ],
)
def test_a_bad_defect_is_refused_and_nothing_saved(world, kw, field):
    sheet = _sheet(world)
    args = {"room": sheet.rooms[0], "item": sheet.items[0], "description": "裂缝",
            "photo": _photo(), **kw}  # fmt: skip
    if args["photo"] == "disguised":
        args["photo"] = _photo("x.png", b"MZ not a picture at all")
    with pytest.raises(ValidationError) as exc:
        services.add_defect(inspection=sheet, by=world.user("area_manager"), **args)
    assert field in exc.value.error_dict
    assert not Defect.objects.exists()


def test_no_photo_needed_when_the_policy_says_so(world):
    from guanjia.core.policies.services import set_policy

    set_policy(
        key="movein.defect_photo_required", value=False, community=world.a, reason="试行",
        by=world.user("director"),
    )  # fmt: skip
    sheet = _sheet(world)
    services.add_defect(
        inspection=sheet, room=sheet.rooms[0], item=sheet.items[0], description="划痕",
        by=world.user("area_manager"),
    )  # fmt: skip
    assert Defect.objects.count() == 1


@pytest.mark.parametrize("missing", ["owner_signature", "inspector_signature"])
def test_the_sheet_needs_both_signatures(world, missing):
    sheet = _sheet(world)
    args = {"owner_signature": SIGN, "inspector_signature": SIGN, missing: ""}
    with pytest.raises(ValidationError) as exc:
        services.sign_inspection(inspection=sheet, by=world.user("area_manager"), **args)
    assert missing in exc.value.error_dict
    sheet.delivery.refresh_from_db()
    assert sheet.delivery.inspected_at is None


def test_a_bad_meter_reading_is_refused(world):
    sheet = _sheet(world)
    with pytest.raises(ValidationError) as exc:
        services.sign_inspection(
            inspection=sheet, owner_signature=SIGN, inspector_signature=SIGN, water="abc",
            by=world.user("area_manager"),
        )  # fmt: skip
    assert "water" in exc.value.error_dict


def test_a_defect_on_a_signed_sheet_is_refused(world):
    d = delivered(world)
    sheet = Inspection.objects.get(delivery=d)
    with pytest.raises(ValidationError) as exc:
        services.add_defect(
            inspection=sheet, room=sheet.rooms[0], item=sheet.items[0], description="x",
            photo=_photo(), by=world.user("area_manager"),
        )  # fmt: skip
    assert exc.value.code == "signed"


def _defect(world):
    d = delivered(world, defect=True)
    return Defect.objects.get(delivery=d)


def test_a_re_inspection_before_it_is_reported_fixed_is_refused(world):
    defect = _defect(world)
    with pytest.raises(ValidationError) as exc:
        services.reinspect(
            defect=defect,
            passed=True,
            signer="王买家",
            signature=SIGN,
            by=world.user("area_manager"),
        )
    assert exc.value.code == "not_fixed"
    defect.refresh_from_db()
    assert defect.status == F.OPEN


def test_a_failed_re_inspection_sends_it_back_with_a_new_deadline(world):
    defect = _defect(world)
    eng = world.user("engineering_lead")
    services.report_fixed(defect=defect, note="已修补", by=eng)
    with pytest.raises(ValidationError):
        services.reinspect(defect=defect, passed=False, note=" ", by=world.user("area_manager"))
    defect = services.reinspect(
        defect=defect, passed=False, note="仍有裂缝", by=world.user("area_manager")
    )
    assert defect.status == F.OPEN


def test_only_the_owner_or_their_agent_signs_off(world):
    defect = _defect(world)
    services.report_fixed(defect=defect, note="已修补", by=world.user("engineering_lead"))
    with pytest.raises(ValidationError) as exc:
        services.reinspect(
            defect=defect,
            passed=True,
            signer="路人甲",
            signature=SIGN,
            by=world.user("area_manager"),
        )
    assert exc.value.error_dict["signer"][0].code == "not_owner"
    with pytest.raises(ValidationError) as exc:
        services.reinspect(
            defect=defect, passed=True, signer="王买家", signature="", by=world.user("area_manager")
        )
    assert "signature" in exc.value.error_dict
    defect.refresh_from_db()
    assert defect.status == F.FIXED


def test_the_sign_off_closes_the_units_defects_and_a_reopening_is_a_warranty_repair(world):
    from guanjia.tickets.models import RepairOrder

    defect = _defect(world)
    services.report_fixed(defect=defect, note="已修补", by=world.user("engineering_lead"))
    defect = services.reinspect(
        defect=defect, passed=True, signer="王买家", signature=SIGN, by=world.user("area_manager")
    )
    assert defect.status == F.SIGNED_OFF
    assert defect.closed_at is not None
    defect.delivery.refresh_from_db()
    assert defect.delivery.defects == DefectState.CLOSED
    assert list(DefectEvent.objects.filter(defect=defect).values_list("to_status", flat=True)) == [
        F.OPEN, F.FIXED, F.SIGNED_OFF,
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        services.reopen_as_warranty(defect=defect, note="", by=world.user("receptionist"))
    defect = services.reopen_as_warranty(
        defect=defect, note="裂缝又出现", by=world.user("receptionist")
    )
    order = RepairOrder.objects.get()
    assert defect.status == F.WARRANTY
    assert defect.repair_number == order.number
    assert order.warranty == "developer"
    with pytest.raises(WorkflowError):
        services.reopen_as_warranty(defect=defect, note="again", by=world.user("receptionist"))
