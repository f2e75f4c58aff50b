"""Checkpoints, their signed labels and the checklist (spec §12)."""

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.estates.tests.factories import BuildingFactory
from guanjia.patrols import services
from guanjia.patrols.models import ChecklistItem, Checkpoint

from .factories import checkpoint, zone


def _codes(exc):
    return [e.code for errors in exc.value.error_dict.values() for e in errors]


def test_a_checkpoint_gets_a_code_and_its_community_the_seeded_checklist(world):
    z = zone(world, world.a)
    cp = checkpoint(world, z, "roof")
    assert len(cp.code) == 8
    roof = ChecklistItem.objects.filter(community=world.a, kind="roof")
    assert roof.count() == 4
    assert services.seed_checklist(world.a) == 0  # a second seeding adds nothing


def test_the_qr_token_reads_back_to_its_checkpoint(world):
    z = zone(world, world.a)
    cp = checkpoint(world, z, "gate")
    label = services.read_label(services.label_token(cp), community=world.a, zone=z)
    assert label.checkpoint == cp
    assert not label.typed
    typed = services.read_label(cp.code.lower(), community=world.a, zone=z)
    assert typed.checkpoint == cp
    assert typed.typed


def test_a_forged_label_is_refused(world):
    z = zone(world, world.a)
    cp = checkpoint(world, z, "gate")
    token = services.label_token(cp)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(ValidationError) as exc:
        services.read_label(forged, community=world.a, zone=z)
    assert _codes(exc) == ["forged"]
    other_key = signing.dumps({"p": cp.pk, "z": z.pk, "c": world.a.pk, "v": 1}, salt="x")
    with pytest.raises(ValidationError):
        services.read_label(other_key, community=world.a, zone=z)
    with pytest.raises(ValidationError) as exc:
        services.read_label("ZZZZZZZZ", community=world.a, zone=z)
    assert _codes(exc) == ["unknown"]


def test_another_zones_and_another_communitys_label_are_refused(world):
    z1, z2 = zone(world, world.a), zone(world, world.a)
    here = checkpoint(world, z2, "gate")
    with pytest.raises(ValidationError) as exc:
        services.read_label(services.label_token(here), community=world.a, zone=z1)
    assert _codes(exc) == ["other_zone"]
    there = checkpoint(world, zone(world, world.b), "gate")
    with pytest.raises(ValidationError) as exc:
        services.read_label(services.label_token(there), community=world.a, zone=z1)
    assert _codes(exc) == ["other_community"]
    with pytest.raises(ValidationError) as exc:
        services.read_label(there.code, community=world.a, zone=z1)
    assert _codes(exc) == ["other_community"]


def test_a_replaced_label_is_refused(world):
    z = zone(world, world.a)
    cp = checkpoint(world, z, "gate")
    old_token, old_code = services.label_token(cp), cp.code
    new = services.replace_label(checkpoint=cp, by=world.user("supervisor"))
    with pytest.raises(ValidationError) as exc:
        services.read_label(old_token, community=world.a, zone=z)
    assert _codes(exc) == ["replaced"]
    with pytest.raises(ValidationError):
        services.read_label(old_code, community=world.a, zone=z)
    assert services.read_label(services.label_token(new), community=world.a, zone=z)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "pool"}, "kind"),
        ({"name": "  "}, "name"),
        ({"name": "长" * 61}, "name"),
    ],
)
def test_a_bad_checkpoint_is_refused(world, change, field):
    z = zone(world, world.a)
    values = {"zone": z, "kind": "gate", "name": "东门", **change}
    with pytest.raises(ValidationError) as exc:
        services.create_checkpoint(
            community=world.a, data=services.CheckpointData(**values), by=world.user("supervisor")
        )
    assert field in exc.value.error_dict
    assert not Checkpoint.objects.exists()


def test_a_building_of_another_zone_or_a_zone_of_another_community_is_refused(world):
    z = zone(world, world.a)
    elsewhere = BuildingFactory(community=world.a)
    with pytest.raises(ValidationError) as exc:
        services.create_checkpoint(
            community=world.a,
            data=services.CheckpointData(zone=z, kind="roof", name="屋面", building=elsewhere),
            by=world.user("supervisor"),
        )
    assert "building" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.create_checkpoint(
            community=world.a,
            data=services.CheckpointData(zone=zone(world, world.b), kind="gate", name="门"),
            by=world.user("supervisor"),
        )
    assert "zone" in exc.value.error_dict


def test_a_duplicate_name_in_the_zone_is_refused(world):
    z = zone(world, world.a)
    checkpoint(world, z, "gate", name="东门")
    with pytest.raises(ValidationError) as exc:
        checkpoint(world, z, "gate", name="东门")
    assert "name" in exc.value.error_dict


def test_an_area_manager_may_not_add_checkpoints(world):
    z = zone(world, world.a)
    with pytest.raises(PermissionDenied):
        services.create_checkpoint(
            community=world.a,
            data=services.CheckpointData(zone=z, kind="gate", name="东门"),
            by=world.user("area_manager"),
        )


def test_the_checklist_is_edited_per_community(world):
    services.seed_checklist(world.a)
    sup = world.user("supervisor")
    item = services.save_checklist_item(community=world.a, kind="lift", text="五方通话正常", by=sup)
    assert item.position == 3
    with pytest.raises(ValidationError) as exc:
        services.save_checklist_item(community=world.a, kind="lift", text="五方通话正常", by=sup)
    assert "text" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.save_checklist_item(community=world.a, kind="lift", text=" ", by=sup)
    assert "text" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.save_checklist_item(community=world.a, kind="moon", text="x", by=sup)
    assert "kind" in exc.value.error_dict
    assert not ChecklistItem.objects.filter(community=world.b).exists()
