"""The passes API (/api/v1/passes/): passes with every move, groups, the gate check and
visitor slips, release slips, KPIs; on core.api.CommunityViewSet, every write the page's
service. A pass is created as multipart (its photo); a signature is a PNG data URL."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guanjia.core.access import User, get_visible_or_404, request_user, require_perm
from guanjia.core.api import CommunityViewSet, ScopedSerializerMixin, VisibleCommunityField
from guanjia.core.files.api import FileUrlField
from guanjia.core.models import Community
from guanjia.estates.models import Unit

from . import filters, selectors, services
from .models import (
    ApplicantRole,
    GateCheck,
    GroupKind,
    Pass,
    PassGroup,
    PassKind,
    ReleaseSlip,
    SlipItem,
)


def _body(request: Request, serializer_class: Any) -> dict[str, Any]:
    checked = serializer_class(data=request.data, context={"request": request})
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


def _by(request: Request) -> User:
    return request_user(request._request)


# --- Passes ------------------------------------------------------------------------------------


def _money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)


class PassSerializer(serializers.ModelSerializer):
    photo = FileUrlField()
    fee, deposit, deposit_refunded = _money(), _money(), _money()
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True, default="")
    id_number = serializers.CharField(source="id_number_masked", read_only=True)

    class Meta:
        model = Pass
        fields = [
            "id", "community", "number", "kind", "status", "holder_name", "id_number", "phone",
            "photo", "unit", "room_code", "group", "group_name", "employer", "valid_from",
            "valid_to", "fee", "deposit", "deposit_refunded", "replaces", "returned_on",
            "issued_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.BINARY)
class PhotoField(serializers.Field):
    """A photo as a multipart file, or in JSON as a data URL (data:image/jpeg;base64,...)."""

    default_error_messages = {"invalid": _("Send the photo as a file or a data URL.")}

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "read"):
            return data
        if isinstance(data, str):
            match = re.match(r"^data:(image/[a-z]+);base64,(.+)$", data, re.DOTALL)
            if match:
                try:
                    raw = base64.b64decode(match[2], validate=True)
                except (binascii.Error, ValueError):
                    self.fail("invalid")
                extension = match[1].split("/")[1].replace("jpeg", "jpg")
                return SimpleUploadedFile(f"photo.{extension}", raw, content_type=match[1])
        self.fail("invalid")

    def to_representation(self, value: Any) -> Any:
        return None


class IssueBody(ScopedSerializerMixin, serializers.Serializer):
    """A new pass: the unit and group of the community, where the caller issues passes."""

    movable_fields = ("unit", "group")
    scope_perm = "passes.add_pass"

    community = VisibleCommunityField(queryset=Community.objects.all())
    kind = serializers.ChoiceField(choices=[k for k in PassKind.values if k != PassKind.VISITOR])
    holder_name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30)
    phone = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    photo = PhotoField()
    unit = VisibleCommunityField(queryset=Unit.objects.all())
    group = VisibleCommunityField(queryset=PassGroup.objects.all(), required=False, allow_null=True)
    employer = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)


class RenewBody(serializers.Serializer):
    valid_to = serializers.DateField()


class ChangeBody(serializers.Serializer):
    unit = serializers.IntegerField(required=False, allow_null=True, default=None)
    employer = serializers.CharField(max_length=100, required=False, allow_null=True, default=None)
    phone = serializers.CharField(max_length=20, required=False, allow_null=True, default=None)
    photo = PhotoField(required=False, allow_null=True, default=None)


class RefundBody(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ReasonBody(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class NoteBody(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ReissueBody(serializers.Serializer):
    photo = PhotoField(required=False, allow_null=True, default=None)


class PassViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    """Passes (PassFilter) and every move of one; create: multipart with the photo."""

    model, view_perm = Pass, "passes.view_pass"
    serializer_class, filterset_class = PassSerializer, filters.PassFilter
    related = ("unit", "group")

    @extend_schema(request=IssueBody, responses={201: PassSerializer})
    def issue(self, request: Request) -> Response:
        data = _body(request, IssueBody)
        created = services.issue_pass(by=_by(request), **data)
        return Response(PassSerializer(created).data, status=201)

    def _done(self, obj: Pass) -> Response:
        return Response(PassSerializer(obj).data)

    @extend_schema(request=RenewBody, responses=PassSerializer)
    def renew(self, request: Request, pk: int) -> Response:
        obj = self.action_object("passes.change_pass")
        return self._done(
            services.renew_pass(pass_obj=obj, by=_by(request), **_body(request, RenewBody))
        )

    @extend_schema(request=ChangeBody, responses=PassSerializer)
    def change(self, request: Request, pk: int) -> Response:
        obj = self.action_object("passes.change_pass")
        data = _body(request, ChangeBody)
        unit = None
        if data["unit"] is not None:
            unit = Unit.objects.filter(pk=data["unit"], community_id=obj.community_id).first()
            if unit is None:
                raise serializers.ValidationError(
                    {
                        "unit": [
                            serializers.ErrorDetail(
                                str(services.passes._("Choose a unit of this community.")),
                                code="other_community",
                            )
                        ]
                    }
                )
        data["unit"] = unit
        return self._done(services.change_pass(pass_obj=obj, by=_by(request), **data))

    @extend_schema(request=None, responses=PassSerializer)
    def give_back(self, request: Request, pk: int) -> Response:
        obj = self.action_object("passes.change_pass")
        return self._done(services.return_pass(pass_obj=obj, by=_by(request)))

    @extend_schema(request=RefundBody, responses=PassSerializer)
    def refund(self, request: Request, pk: int) -> Response:
        obj = self.action_object("passes.refund_pass_deposit")
        return self._done(
            services.refund_deposit(pass_obj=obj, by=_by(request), **_body(request, RefundBody))
        )

    @extend_schema(request=ReasonBody, responses=PassSerializer)
    def forfeit(self, request: Request, pk: int) -> Response:
        obj = self.action_object("passes.refund_pass_deposit")
        return self._done(
            services.forfeit_deposit(pass_obj=obj, by=_by(request), **_body(request, ReasonBody))
        )

    @extend_schema(request=NoteBody, responses=PassSerializer)
    def lost(self, request: Request, pk: int) -> Response:
        obj = self.action_object("passes.change_pass")
        return self._done(
            services.report_lost(pass_obj=obj, by=_by(request), **_body(request, NoteBody))
        )

    @extend_schema(request=ReissueBody, responses={201: PassSerializer})
    def reissue(self, request: Request, pk: int) -> Response:
        obj = self.action_object("passes.add_pass")
        new = services.reissue_pass(pass_obj=obj, by=_by(request), **_body(request, ReissueBody))
        return Response(PassSerializer(new).data, status=201)

    @extend_schema(request=ReasonBody, responses=PassSerializer)
    def confiscate(self, request: Request, pk: int) -> Response:
        obj = self.action_object("passes.view_pass")
        return self._done(
            services.confiscate_pass(pass_obj=obj, by=_by(request), **_body(request, ReasonBody))
        )


# --- Groups ------------------------------------------------------------------------------------


class GroupSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    community = VisibleCommunityField(queryset=Community.objects.all())
    kind = serializers.ChoiceField(choices=GroupKind.choices)

    class Meta:
        model = PassGroup
        fields = ["id", "community", "kind", "name", "sponsor", "status", "reason", "created_at"]
        read_only_fields = ["status", "reason", "created_at"]


class GroupViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, CommunityViewSet
):
    """Pass groups (GroupFilter: `?sponsor=renovation:123`); open, suspend, resume, close."""

    model, view_perm = PassGroup, "passes.view_passgroup"
    serializer_class, filterset_class = GroupSerializer, filters.GroupFilter

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.open_group(by=_by(self.request), **serializer.validated_data)

    @extend_schema(request=ReasonBody, responses=GroupSerializer)
    def suspend(self, request: Request, pk: int) -> Response:
        group = self.action_object("passes.view_passgroup")
        services.suspend_group(group, by=_by(request), **_body(request, ReasonBody))
        return Response(GroupSerializer(group).data)

    @extend_schema(request=None, responses=GroupSerializer)
    def resume(self, request: Request, pk: int) -> Response:
        group = self.action_object("passes.view_passgroup")
        services.resume_group(group, by=_by(request))
        return Response(GroupSerializer(group).data)

    @extend_schema(request=None, responses=GroupSerializer)
    def close(self, request: Request, pk: int) -> Response:
        group = self.action_object("passes.view_passgroup")
        services.close_group(group, by=_by(request))
        return Response(GroupSerializer(group).data)


# --- The gate ----------------------------------------------------------------------------------


class CheckBody(ScopedSerializerMixin, serializers.Serializer):
    scope_perm = "passes.check_pass"

    community = VisibleCommunityField(queryset=Community.objects.all())
    number = serializers.CharField(max_length=80)


class CheckResult(serializers.Serializer):
    result = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    check = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    holder_name = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    group = serializers.CharField(allow_null=True)
    photo = serializers.CharField(allow_null=True)


class GateCheckView(APIView):
    """POST {community, number}: the verdict (valid, expired, suspended, blacklisted,
    not_found), logged; the holder and photo only for a pass that exists."""

    @extend_schema(request=CheckBody, responses=CheckResult)
    def post(self, request: Request) -> Response:
        data = _body(request, CheckBody)
        outcome = services.check_pass(
            community=data["community"], text=data["number"], by=_by(request)
        )
        found = outcome.pass_obj
        from guanjia.core.files.registry import file_url

        return Response(
            {
                "result": outcome.result,
                "label": outcome.label,
                "check": outcome.check.pk,
                "number": found.number if found else None,
                "holder_name": found.holder_name if found else None,
                "kind": found.kind if found else None,
                "valid_to": found.valid_to if found else None,
                "group": found.group.name if found and found.group else None,
                "photo": file_url(found, "photo") if found and found.photo else None,
            }
        )


class VisitorBody(ScopedSerializerMixin, serializers.Serializer):
    movable_fields = ("unit",)
    scope_perm = "passes.check_pass"

    community = VisibleCommunityField(queryset=Community.objects.all())
    holder_name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30)
    phone = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    unit = VisibleCommunityField(queryset=Unit.objects.all())
    host_called = serializers.BooleanField(default=False)


class GateVisitorView(APIView):
    @extend_schema(request=VisitorBody, responses={201: PassSerializer})
    def post(self, request: Request) -> Response:
        data = _body(request, VisitorBody)
        created = services.issue_pass(kind=PassKind.VISITOR, by=_by(request), **data)
        return Response(PassSerializer(created).data, status=201)


class GateCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = GateCheck
        fields = ["id", "community", "at", "guard", "typed", "pass_obj", "result"]
        read_only_fields = fields


class GateCheckViewSet(mixins.ListModelMixin, CommunityViewSet):
    model, view_perm = GateCheck, "passes.view_gatecheck"
    serializer_class, filterset_class = GateCheckSerializer, filters.GateCheckFilter


# --- Release slips -----------------------------------------------------------------------------


class SlipItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SlipItem
        fields = ["id", "description", "quantity", "released"]
        read_only_fields = ["id", "released"]


class SlipSerializer(serializers.ModelSerializer):
    items = SlipItemSerializer(many=True, read_only=True)
    guard_signature = FileUrlField()
    arrears = _money()
    room_code = serializers.CharField(source="unit.room_code", read_only=True)

    class Meta:
        model = ReleaseSlip
        fields = [
            "id", "community", "number", "unit", "room_code", "applicant_name", "applicant_role",
            "id_number_masked", "owner_confirmation", "arrears", "valid_from", "valid_to",
            "vehicle_plate", "status", "items", "guard", "checked_at", "carrier_name",
            "carrier_id_masked", "plate", "guard_signature", "guard_note",
        ]  # fmt: skip
        read_only_fields = fields


class ItemBody(serializers.Serializer):
    description = serializers.CharField(max_length=100)
    quantity = serializers.IntegerField(min_value=1, max_value=9999)


class SlipBody(ScopedSerializerMixin, serializers.Serializer):
    movable_fields = ("unit",)
    scope_perm = "passes.add_releaseslip"

    community = VisibleCommunityField(queryset=Community.objects.all())
    unit = VisibleCommunityField(queryset=Unit.objects.all())
    applicant_name = serializers.CharField(max_length=50)
    applicant_role = serializers.ChoiceField(choices=ApplicantRole.choices)
    id_number = serializers.CharField(max_length=30)
    owner_confirmation = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    items = ItemBody(many=True)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    vehicle_plate = serializers.CharField(
        max_length=12, required=False, default="", allow_blank=True
    )


class ReleaseLine(serializers.Serializer):
    item = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=0)


class ReleaseBody(serializers.Serializer):
    released = ReleaseLine(many=True)
    carrier_name = serializers.CharField(max_length=50)
    carrier_id = serializers.CharField(max_length=30)
    plate = serializers.CharField(max_length=12, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    signature = serializers.CharField(max_length=500_000)


class SlipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    """Release slips (SlipFilter); issue one, release goods at the gate, cancel."""

    model, view_perm = ReleaseSlip, "passes.view_releaseslip"
    serializer_class, filterset_class = SlipSerializer, filters.SlipFilter
    related = ("unit",)
    prefetch = ("items",)

    @extend_schema(request=SlipBody, responses={201: SlipSerializer})
    def apply(self, request: Request) -> Response:
        data = _body(request, SlipBody)
        data["items"] = [(i["description"], i["quantity"]) for i in data["items"]]
        slip = services.apply_slip(by=_by(request), **data)
        return Response(SlipSerializer(slip).data, status=201)

    @extend_schema(request=ReleaseBody, responses=SlipSerializer)
    def release(self, request: Request, pk: int) -> Response:
        slip = self.action_object("passes.release_goods")
        data = _body(request, ReleaseBody)
        released: dict[int, int] = {}
        for line in data.pop("released"):
            released[line["item"]] = released.get(line["item"], 0) + line["quantity"]
        slip = services.release_goods(slip=slip, released=released, by=_by(request), **data)
        return Response(SlipSerializer(ReleaseSlip.objects.get(pk=slip.pk)).data)

    @extend_schema(request=ReasonBody, responses=SlipSerializer)
    def cancel(self, request: Request, pk: int) -> Response:
        slip = self.action_object("passes.change_releaseslip")
        services.cancel_slip(slip=slip, by=_by(request), **_body(request, ReasonBody))
        return Response(SlipSerializer(slip).data)


# --- KPIs --------------------------------------------------------------------------------------


class KpiQuery(serializers.Serializer):
    community = serializers.IntegerField()
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise serializers.ValidationError({"end": [_("The end is before the start.")]})
        return data


class KpiView(APIView):
    """GET ?community=<id>&start=&end=: active passes by type, expired not returned, deposits
    held, lost passes, slips issued and used (raw counts)."""

    @extend_schema(parameters=[KpiQuery], responses=None)
    def get(self, request: Request) -> Response:
        checked = KpiQuery(data=request.query_params)
        checked.is_valid(raise_exception=True)
        q = checked.validated_data
        community = get_visible_or_404(Community.objects.all(), request.user, pk=q["community"])
        require_perm(request.user, "passes.view_pass_kpis", community)
        today = timezone.localdate()
        start: dt.date = q.get("start") or today.replace(day=1)
        end: dt.date = q.get("end") or today
        k = selectors.pass_kpis(community, start, end)
        return Response(
            {
                "start": k.start,
                "end": k.end,
                "active": k.active,
                "active_by_kind": dict(
                    zip(PassKind.values, (n for _l, n in k.active_by_kind), strict=True)
                ),
                "expired_not_returned": k.expired_not_returned,
                "deposits_held": str(k.deposits_held),
                "deposits_held_count": k.deposits_held_count,
                "lost": k.lost,
                "slips_issued": k.slips_issued,
                "slips_used": k.slips_used,
            }
        )


app_name = "passes-api"

urlpatterns = [
    path("passes/", PassViewSet.as_view({"get": "list", "post": "issue"}), name="pass-list"),
    path("passes/<int:pk>/", PassViewSet.as_view({"get": "retrieve"}), name="pass-detail"),
    path("passes/<int:pk>/renew/", PassViewSet.as_view({"post": "renew"}), name="pass-renew"),
    path("passes/<int:pk>/change/", PassViewSet.as_view({"post": "change"}), name="pass-change"),
    path("passes/<int:pk>/return/", PassViewSet.as_view({"post": "give_back"}), name="pass-return"),
    path("passes/<int:pk>/refund/", PassViewSet.as_view({"post": "refund"}), name="pass-refund"),
    path("passes/<int:pk>/forfeit/", PassViewSet.as_view({"post": "forfeit"}), name="pass-forfeit"),
    path("passes/<int:pk>/lost/", PassViewSet.as_view({"post": "lost"}), name="pass-lost"),
    path("passes/<int:pk>/reissue/", PassViewSet.as_view({"post": "reissue"}), name="pass-reissue"),
    path(
        "passes/<int:pk>/confiscate/",
        PassViewSet.as_view({"post": "confiscate"}),
        name="pass-confiscate",
    ),
    path("groups/", GroupViewSet.as_view({"get": "list", "post": "create"}), name="group-list"),
    path("groups/<int:pk>/", GroupViewSet.as_view({"get": "retrieve"}), name="group-detail"),
    path(
        "groups/<int:pk>/suspend/", GroupViewSet.as_view({"post": "suspend"}), name="group-suspend"
    ),
    path("groups/<int:pk>/resume/", GroupViewSet.as_view({"post": "resume"}), name="group-resume"),
    path("groups/<int:pk>/close/", GroupViewSet.as_view({"post": "close"}), name="group-close"),
    path("gate/check/", GateCheckView.as_view(), name="gate-check"),
    path("gate/visitors/", GateVisitorView.as_view(), name="gate-visitor"),
    path("gate/log/", GateCheckViewSet.as_view({"get": "list"}), name="gate-log"),
    path("slips/", SlipViewSet.as_view({"get": "list", "post": "apply"}), name="slip-list"),
    path("slips/<int:pk>/", SlipViewSet.as_view({"get": "retrieve"}), name="slip-detail"),
    path("slips/<int:pk>/release/", SlipViewSet.as_view({"post": "release"}), name="slip-release"),
    path("slips/<int:pk>/cancel/", SlipViewSet.as_view({"post": "cancel"}), name="slip-cancel"),
    path("kpis/", KpiView.as_view(), name="kpis"),
]
