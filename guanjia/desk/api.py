"""The front desk's API (/api/v1/desk/): keys and their loans, mail and parcels, posts and
handovers, on core.api.CommunityViewSet; every write is the page's service. A signature is
a PNG data URL (data:image/png;base64,...), as the page's signature pad sends it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.core.access import User, request_user
from guanjia.core.api import (
    CommunityViewSet,
    ScopedSerializerMixin,
    ServiceSaveMixin,
    VisibleCommunityField,
)
from guanjia.core.files.api import FileUrlField
from guanjia.core.models import Community
from guanjia.estates.models import Person, Unit

from . import filters, services
from .models import (
    Finding,
    FoundItem,
    Handover,
    HandoverItem,
    Key,
    KeyCollector,
    KeyLoan,
    Notice,
    Parcel,
    Post,
    Shift,
)


def _body(request: Request, serializer_class: Any, **context: Any) -> dict[str, Any]:
    checked = serializer_class(data=request.data, context={"request": request, **context})
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


def _by(request: Request) -> User:
    return request_user(request._request)


# --- Keys -------------------------------------------------------------------------------------


class KeyCollectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyCollector
        fields = ["id", "name", "phone", "id_last4"]
        read_only_fields = fields


class KeySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    community = VisibleCommunityField(queryset=Community.objects.all())
    unit = VisibleCommunityField(queryset=Unit.objects.all())
    deposited_by = VisibleCommunityField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    is_out = serializers.SerializerMethodField()
    scope_fields = ("community", "unit")

    class Meta:
        model = Key
        fields = [
            "id", "community", "unit", "room_code", "kind", "holding", "description", "count",
            "envelope_no", "cabinet_slot", "deposited_by", "released_at", "is_out",
        ]  # fmt: skip
        read_only_fields = ["released_at"]

    def get_is_out(self, key: Key) -> bool:
        return any(loan.returned_at is None for loan in key.open_loans)  # type: ignore[attr-defined]


class KeyLoanSerializer(serializers.ModelSerializer):
    out_signature = FileUrlField()
    return_signature = FileUrlField()
    cabinet_slot = serializers.CharField(source="key.cabinet_slot", read_only=True)
    room_code = serializers.CharField(source="key.unit.room_code", read_only=True)

    class Meta:
        model = KeyLoan
        fields = [
            "id", "community", "key", "cabinet_slot", "room_code", "collector", "staff",
            "borrower_name", "purpose", "out_at", "due_at", "overnight_approved_by", "lent_by",
            "out_signature", "returned_at", "received_by", "return_signature",
        ]  # fmt: skip
        read_only_fields = fields


class CollectorBody(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    id_last4 = serializers.CharField(max_length=4, required=False, default="", allow_blank=True)


class LendBody(serializers.Serializer):
    collector = serializers.IntegerField(required=False, allow_null=True, default=None)
    staff = serializers.IntegerField(required=False, allow_null=True, default=None)
    purpose = serializers.CharField(max_length=200)
    signature = serializers.CharField(max_length=500_000)


class SignatureBody(serializers.Serializer):
    signature = serializers.CharField(max_length=500_000)


class OvernightBody(serializers.Serializer):
    until = serializers.DateTimeField()


class KeyViewSet(
    ServiceSaveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    CommunityViewSet,
):
    """Keys in the cabinet (KeyFilter); register one; its collectors; lend it (refused while
    it is out: 400 `key_out`)."""

    model, view_perm = Key, "desk.view_key"
    serializer_class, filterset_class = KeySerializer, filters.KeyFilter
    related = ("unit",)
    ordering = ("community_id", "cabinet_slot")

    def get_queryset(self) -> Any:
        out = KeyLoan.objects.filter(returned_at__isnull=True)
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("loans", queryset=out, to_attr="open_loans"))
        )

    def save(self, obj: Key) -> Key:
        return services.register_key(
            community=obj.community,
            unit=obj.unit,
            holding=obj.holding,
            cabinet_slot=obj.cabinet_slot,
            kind=obj.kind,
            description=obj.description,
            count=obj.count,
            envelope_no=obj.envelope_no,
            deposited_by=obj.deposited_by,
            by=_by(self.request),
        )

    def perform_create(self, serializer: Any) -> None:
        super().perform_create(serializer)
        serializer.instance.open_loans = []

    @extend_schema(request=CollectorBody, responses={201: KeyCollectorSerializer})
    def add_collector(self, request: Request, pk: int) -> Response:
        key = self.action_object("desk.add_key")
        collector = services.add_collector(
            key=key, by=_by(request), **_body(request, CollectorBody)
        )
        return Response(KeyCollectorSerializer(collector).data, status=201)

    @extend_schema(request=LendBody, responses={201: KeyLoanSerializer})
    def lend(self, request: Request, pk: int) -> Response:
        key = self.action_object("desk.add_keyloan")
        data = _body(request, LendBody)
        collector = None
        if data["collector"] is not None:
            collector = KeyCollector.objects.filter(pk=data["collector"], key=key).first()
            if collector is None:
                raise serializers.ValidationError(
                    {"collector": ["This person is not authorised to collect this key."]}
                )
        staff = None
        if data["staff"] is not None:
            from guanjia.core.access import staff_holding

            staff = (
                staff_holding(
                    ["desk.view_key", "tickets.work_repairorder", "tickets.view_repairorder"],
                    company_id=key.community.company_id,
                    community_id=key.community_id,
                )
                .filter(pk=data["staff"])
                .first()
            )
            if staff is None:
                raise serializers.ValidationError(
                    {"staff": ["Choose a staff member of this community."]}
                )
        loan = services.lend_key(
            key=key,
            collector=collector,
            staff=staff,
            purpose=data["purpose"],
            signature=data["signature"],
            by=_by(request),
        )
        return Response(KeyLoanSerializer(loan).data, status=201)


class KeyLoanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    """Loans (KeyLoanFilter: `?out=true`, `?overdue=true`); return one; let it stay out."""

    model, view_perm = KeyLoan, "desk.view_keyloan"
    serializer_class, filterset_class = KeyLoanSerializer, filters.KeyLoanFilter
    related = ("key__unit",)
    ordering = ("-out_at",)

    @extend_schema(request=SignatureBody, responses=KeyLoanSerializer)
    def give_back(self, request: Request, pk: int) -> Response:
        loan = self.action_object("desk.add_keyloan")
        loan = services.return_key(loan=loan, by=_by(request), **_body(request, SignatureBody))
        return Response(KeyLoanSerializer(loan).data)

    @extend_schema(request=OvernightBody, responses=KeyLoanSerializer)
    def overnight(self, request: Request, pk: int) -> Response:
        loan = self.action_object("desk.approve_key_overnight")
        loan = services.approve_overnight(
            loan=loan, by=_by(request), **_body(request, OvernightBody)
        )
        return Response(KeyLoanSerializer(loan).data)


# --- Mail and parcels ---------------------------------------------------------------------


class ParcelSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    community = VisibleCommunityField(queryset=Community.objects.all())
    unit = VisibleCommunityField(queryset=Unit.objects.all())
    room_code = serializers.CharField(source="unit.room_code", read_only=True)
    signature = FileUrlField()
    scope_fields = ("community", "unit")

    class Meta:
        model = Parcel
        fields = [
            "id", "community", "unit", "room_code", "addressee", "kind", "carrier", "tracking_no",
            "shelf", "received_at", "notified_at", "collected_at", "collected_by", "signature",
            "returned_at", "return_note",
        ]  # fmt: skip
        read_only_fields = [
            "received_at", "notified_at", "collected_at", "collected_by", "returned_at",
            "return_note",
        ]  # fmt: skip


class CollectBody(serializers.Serializer):
    collected_by = serializers.IntegerField()
    signature = serializers.CharField(max_length=500_000)


class ReturnBody(serializers.Serializer):
    return_note = serializers.CharField(max_length=200)


class ParcelViewSet(
    ServiceSaveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    CommunityViewSet,
):
    """Mail and parcels (ParcelFilter: `?held=true`); register one (the household is told by
    SMS); collect (an owner or occupant of the unit only: 400 `other_household`); return."""

    model, view_perm = Parcel, "desk.view_parcel"
    serializer_class, filterset_class = ParcelSerializer, filters.ParcelFilter
    related = ("unit",)
    ordering = ("-received_at",)

    def save(self, obj: Parcel) -> Parcel:
        return services.register_parcel(
            community=obj.community,
            unit=obj.unit,
            addressee=obj.addressee,
            carrier=obj.carrier,
            kind=obj.kind,
            tracking_no=obj.tracking_no,
            shelf=obj.shelf,
            by=_by(self.request),
        )

    @extend_schema(request=CollectBody, responses=ParcelSerializer)
    def collect(self, request: Request, pk: int) -> Response:
        parcel = self.action_object("desk.change_parcel")
        data = _body(request, CollectBody)
        person = Person.objects.filter(
            pk=data["collected_by"], community_id=parcel.community_id
        ).first()
        if person is None:
            raise serializers.ValidationError({"collected_by": [_("Unknown person.")]})
        parcel = services.collect_parcel(
            parcel=parcel, person=person, signature=data["signature"], by=_by(request)
        )
        return Response(ParcelSerializer(parcel, context={"request": request}).data)

    @extend_schema(request=ReturnBody, responses=ParcelSerializer)
    def give_back(self, request: Request, pk: int) -> Response:
        parcel = self.action_object("desk.change_parcel")
        note = _body(request, ReturnBody)["return_note"]
        parcel = services.return_parcel(parcel=parcel, note=note, by=_by(request))
        return Response(ParcelSerializer(parcel, context={"request": request}).data)


# --- Posts and handovers ------------------------------------------------------------------


class ShiftSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shift
        fields = ["id", "name", "starts", "ends"]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    shifts = ShiftSerializer(many=True, read_only=True)

    class Meta:
        model = Post
        fields = ["id", "community", "name", "kind", "is_active", "shifts"]
        read_only_fields = fields


class PostViewSet(mixins.ListModelMixin, CommunityViewSet):
    model, view_perm = Post, "desk.view_post"
    serializer_class, filterset_class = PostSerializer, filters.PostFilter
    prefetch = ("shifts",)
    ordering = ("community_id", "name")


class HandoverItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = HandoverItem
        fields = ["id", "section", "ref", "summary", "detail", "finding", "finding_note"]
        read_only_fields = fields


class HandoverSerializer(serializers.ModelSerializer):
    outgoing_signature = FileUrlField()
    incoming_signature = FileUrlField()

    class Meta:
        model = Handover
        fields = [
            "id", "community", "post", "shift", "day", "shift_ends_at", "status", "outgoing",
            "incoming", "notes", "equipment", "offered_at", "relieved_at", "late_minutes",
            "refusal_reason", "discrepancy_count", "closed_at", "outgoing_signature",
            "incoming_signature",
        ]  # fmt: skip
        read_only_fields = fields


class HandoverDetailSerializer(HandoverSerializer):
    items = HandoverItemSerializer(many=True, read_only=True)

    class Meta(HandoverSerializer.Meta):
        fields = [*HandoverSerializer.Meta.fields, "items"]
        read_only_fields = fields


class OpenBody(serializers.Serializer):
    post = serializers.IntegerField()
    shift = serializers.IntegerField()
    incoming = serializers.IntegerField()


class NotesBody(serializers.Serializer):
    notes = serializers.CharField(max_length=4000, allow_blank=True)
    equipment = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class FindingBody(serializers.Serializer):
    id = serializers.IntegerField()
    finding = serializers.ChoiceField(choices=[c for c in Finding.values if c])
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class AcceptBody(serializers.Serializer):
    items = FindingBody(many=True)
    signature = serializers.CharField(max_length=500_000)


class RefuseBody(serializers.Serializer):
    items = FindingBody(many=True, required=False, default=list)
    reason = serializers.CharField(max_length=500)


def _findings(rows: list[dict[str, Any]]) -> dict[int, tuple[str, str]]:
    return {row["id"]: (row["finding"], row.get("note", "")) for row in rows}


class HandoverViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    """Handovers (HandoverFilter: `?discrepancies=true`, `?late=true` are the reports); open
    one (pre-filled); notes; offer (the outgoing person signs); accept (every line checked,
    the incoming person signs) or refuse (with a reason: the supervisors are told); close
    (only once relieved: 400 `not_relieved`). Not the incoming person: 403."""

    model, view_perm = Handover, "desk.view_handover"
    serializer_class, filterset_class = HandoverSerializer, filters.HandoverFilter
    ordering = ("-shift_ends_at",)

    def get_serializer_class(self) -> Any:
        return HandoverDetailSerializer if self.action == "retrieve" else HandoverSerializer

    def get_queryset(self) -> Any:
        rows = super().get_queryset()
        return rows.prefetch_related("items") if self.action == "retrieve" else rows

    def _detail(self, handover: Handover, status: int = 200) -> Response:
        handover = Handover.objects.prefetch_related("items").get(pk=handover.pk)
        return Response(
            HandoverDetailSerializer(handover, context={"request": self.request}).data,
            status=status,
        )

    @extend_schema(request=OpenBody, responses={201: HandoverDetailSerializer})
    def open(self, request: Request) -> Response:
        from guanjia.core.access import communities_with_perm

        data = _body(request, OpenBody)
        ids = communities_with_perm(request.user, "desk.add_handover")
        post = (
            Post.objects.visible_to(request.user).filter(pk=data["post"], community__in=ids).first()
        )
        if post is None:
            raise serializers.ValidationError({"post": [_("Unknown post.")]})
        shift = Shift.objects.filter(pk=data["shift"], post=post).first()
        if shift is None:
            raise serializers.ValidationError({"shift": [_("Choose a shift of this post.")]})
        incoming = get_user_model().objects.filter(pk=data["incoming"]).first()
        if incoming is None:
            raise serializers.ValidationError({"incoming": [_("Unknown person.")]})
        handover = services.open_handover(
            post=post, shift=shift, incoming=incoming, by=_by(request)
        )
        return self._detail(handover, 201)

    @extend_schema(request=NotesBody, responses=HandoverDetailSerializer)
    def notes(self, request: Request, pk: int) -> Response:
        handover = self.action_object("desk.add_handover")
        return self._detail(
            services.save_notes(handover=handover, by=_by(request), **_body(request, NotesBody))
        )

    @extend_schema(request=SignatureBody, responses=HandoverDetailSerializer)
    def offer(self, request: Request, pk: int) -> Response:
        handover = self.action_object("desk.add_handover")
        return self._detail(
            services.offer_handover(
                handover=handover, by=_by(request), **_body(request, SignatureBody)
            )
        )

    @extend_schema(request=AcceptBody, responses=HandoverDetailSerializer)
    def accept(self, request: Request, pk: int) -> Response:
        handover = self.action_object("desk.add_handover")
        data = _body(request, AcceptBody)
        done = services.accept_handover(
            handover=handover,
            findings=_findings(data["items"]),
            signature=data["signature"],
            by=_by(request),
        )
        return self._detail(done)

    @extend_schema(request=RefuseBody, responses=HandoverDetailSerializer)
    def refuse(self, request: Request, pk: int) -> Response:
        handover = self.action_object("desk.add_handover")
        data = _body(request, RefuseBody)
        done = services.refuse_handover(
            handover=handover,
            reason=data["reason"],
            findings=_findings(data["items"]),
            by=_by(request),
        )
        return self._detail(done)

    @extend_schema(request=None, responses=HandoverDetailSerializer)
    def close(self, request: Request, pk: int) -> Response:
        handover = self.action_object("desk.add_handover")
        return self._detail(services.close_shift(handover=handover, by=_by(request)))


class FoundItemSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    community = VisibleCommunityField(queryset=Community.objects.all())
    claim_signature = FileUrlField()

    class Meta:
        model = FoundItem
        fields = [
            "id", "community", "description", "found_where", "found_by", "found_at", "storage",
            "claimed_at", "claimant_name", "claimant_phone", "proof", "claim_signature",
        ]  # fmt: skip
        read_only_fields = [
            "claimed_at", "claimant_name", "claimant_phone", "proof", "claim_signature",
        ]  # fmt: skip
        extra_kwargs = {"found_at": {"required": False}}


class ClaimBody(serializers.Serializer):
    claimant_name = serializers.CharField(max_length=50)
    claimant_phone = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True
    )
    proof = serializers.CharField(max_length=200)
    signature = serializers.CharField(max_length=500_000)


class FoundItemViewSet(
    ServiceSaveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    CommunityViewSet,
):
    """Lost and found (`?unclaimed=true`); register an item; hand it to its owner."""

    model, view_perm = FoundItem, "desk.view_founditem"
    serializer_class, filterset_class = FoundItemSerializer, filters.FoundItemFilter
    ordering = ("-found_at",)

    def save(self, obj: FoundItem) -> FoundItem:
        return services.register_found_item(
            community=obj.community,
            description=obj.description,
            found_where=obj.found_where,
            found_by=obj.found_by,
            storage=obj.storage,
            found_at=obj.found_at,
            by=_by(self.request),
        )

    @extend_schema(request=ClaimBody, responses=FoundItemSerializer)
    def claim(self, request: Request, pk: int) -> Response:
        item = self.action_object("desk.change_founditem")
        item = services.claim_found_item(item=item, by=_by(request), **_body(request, ClaimBody))
        return Response(FoundItemSerializer(item, context={"request": request}).data)


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = [
            "id", "community", "kind", "title", "body", "buildings", "units", "starts_at",
            "ends_at", "send_sms", "send_wechat", "status", "drafted_by", "requested_by",
            "decided_by", "decision", "reason", "messages_sent", "taken_down_at",
        ]  # fmt: skip
        read_only_fields = fields


class NoticeBody(serializers.Serializer):
    community = serializers.IntegerField()
    kind = serializers.CharField(max_length=15, required=False, default="general")
    title = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    body = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    buildings = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    units = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    send_sms = serializers.BooleanField(required=False, default=False)
    send_wechat = serializers.BooleanField(required=False, default=False)
    area = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    reason = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class DecisionBody(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    """Notices (`?status=`, `?kind=`); draft one (an outage notice with no text is written from
    the template with `area` and `reason`); submit; decide (someone else); take down."""

    model, view_perm = Notice, "desk.view_notice"
    serializer_class, filterset_class = NoticeSerializer, filters.NoticeFilter
    ordering = ("-starts_at",)

    @extend_schema(request=NoticeBody, responses={201: NoticeSerializer})
    def draft(self, request: Request) -> Response:
        from guanjia.core.access import communities_with_perm
        from guanjia.estates.models import Building

        from .models import NoticeKind

        data = _body(request, NoticeBody)
        if data["community"] not in communities_with_perm(request.user, "desk.add_notice"):
            raise serializers.ValidationError({"community": [_("Unknown community.")]})
        community = Community.objects.get(pk=data["community"])
        buildings = list(Building.objects.filter(community=community, pk__in=data["buildings"]))
        units = list(Unit.objects.filter(community=community, pk__in=data["units"]))
        if len(buildings) != len(set(data["buildings"])):
            raise serializers.ValidationError({"buildings": [_("Unknown building.")]})
        if len(units) != len(set(data["units"])):
            raise serializers.ValidationError({"units": [_("Unknown unit.")]})
        title, body = data["title"], data["body"]
        if data["kind"] in (NoticeKind.WATER_OUTAGE, NoticeKind.POWER_OUTAGE) and not body:
            title_t, body = services.outage_text(
                data["kind"], area=data["area"] or "—", starts_at=data["starts_at"],
                ends_at=data["ends_at"], reason=data["reason"] or "—",
            )  # fmt: skip
            title = title or title_t
        notice = services.draft_notice(
            community=community, kind=data["kind"], title=title, body=body,
            starts_at=data["starts_at"], ends_at=data["ends_at"], buildings=buildings,
            units=units, send_sms=data["send_sms"], send_wechat=data["send_wechat"],
            by=_by(request),
        )  # fmt: skip
        return Response(NoticeSerializer(notice).data, status=201)

    @extend_schema(request=None, responses=NoticeSerializer)
    def submit(self, request: Request, pk: int) -> Response:
        notice = self.action_object("desk.add_notice")
        return Response(
            NoticeSerializer(services.submit_notice(notice=notice, by=_by(request))).data
        )

    @extend_schema(request=DecisionBody, responses=NoticeSerializer)
    def decide(self, request: Request, pk: int) -> Response:
        notice = self.action_object("desk.approve_notice")
        data = _body(request, DecisionBody)
        done = services.decide_notice(
            notice=notice, approve=data["approve"], reason=data["reason"], by=_by(request)
        )
        return Response(NoticeSerializer(done).data)

    @extend_schema(request=None, responses=NoticeSerializer)
    def take_down(self, request: Request, pk: int) -> Response:
        notice = self.action_object("desk.add_notice")
        return Response(
            NoticeSerializer(services.take_down_notice(notice=notice, by=_by(request))).data
        )


app_name = "desk-api"
urlpatterns = [
    path("keys/", KeyViewSet.as_view({"get": "list", "post": "create"}), name="key-list"),
    path("keys/<int:pk>/", KeyViewSet.as_view({"get": "retrieve"}), name="key-detail"),
    path(
        "keys/<int:pk>/collectors/",
        KeyViewSet.as_view({"post": "add_collector"}),
        name="key-add-collector",
    ),
    path("keys/<int:pk>/lend/", KeyViewSet.as_view({"post": "lend"}), name="key-lend"),
    path("loans/", KeyLoanViewSet.as_view({"get": "list"}), name="loan-list"),
    path("loans/<int:pk>/", KeyLoanViewSet.as_view({"get": "retrieve"}), name="loan-detail"),
    path(
        "loans/<int:pk>/return/", KeyLoanViewSet.as_view({"post": "give_back"}), name="loan-return"
    ),
    path(
        "loans/<int:pk>/overnight/",
        KeyLoanViewSet.as_view({"post": "overnight"}),
        name="loan-overnight",
    ),
    path("parcels/", ParcelViewSet.as_view({"get": "list", "post": "create"}), name="parcel-list"),
    path("parcels/<int:pk>/", ParcelViewSet.as_view({"get": "retrieve"}), name="parcel-detail"),
    path(
        "parcels/<int:pk>/collect/",
        ParcelViewSet.as_view({"post": "collect"}),
        name="parcel-collect",
    ),
    path(
        "parcels/<int:pk>/return/",
        ParcelViewSet.as_view({"post": "give_back"}),
        name="parcel-return",
    ),
    path("posts/", PostViewSet.as_view({"get": "list"}), name="post-list"),
    path("notices/", NoticeViewSet.as_view({"get": "list", "post": "draft"}), name="notice-list"),
    path("notices/<int:pk>/", NoticeViewSet.as_view({"get": "retrieve"}), name="notice-detail"),
    path(
        "notices/<int:pk>/submit/", NoticeViewSet.as_view({"post": "submit"}), name="notice-submit"
    ),
    path(
        "notices/<int:pk>/decide/", NoticeViewSet.as_view({"post": "decide"}), name="notice-decide"
    ),
    path(
        "notices/<int:pk>/take-down/",
        NoticeViewSet.as_view({"post": "take_down"}),
        name="notice-take-down",
    ),
    path("found/", FoundItemViewSet.as_view({"get": "list", "post": "create"}), name="found-list"),
    path("found/<int:pk>/", FoundItemViewSet.as_view({"get": "retrieve"}), name="found-detail"),
    path("found/<int:pk>/claim/", FoundItemViewSet.as_view({"post": "claim"}), name="found-claim"),
    path(
        "handovers/", HandoverViewSet.as_view({"get": "list", "post": "open"}), name="handover-list"
    ),
    path(
        "handovers/<int:pk>/", HandoverViewSet.as_view({"get": "retrieve"}), name="handover-detail"
    ),
    path(
        "handovers/<int:pk>/notes/",
        HandoverViewSet.as_view({"post": "notes"}),
        name="handover-notes",
    ),
    path(
        "handovers/<int:pk>/offer/",
        HandoverViewSet.as_view({"post": "offer"}),
        name="handover-offer",
    ),
    path(
        "handovers/<int:pk>/accept/",
        HandoverViewSet.as_view({"post": "accept"}),
        name="handover-accept",
    ),
    path(
        "handovers/<int:pk>/refuse/",
        HandoverViewSet.as_view({"post": "refuse"}),
        name="handover-refuse",
    ),
    path(
        "handovers/<int:pk>/close/",
        HandoverViewSet.as_view({"post": "close"}),
        name="handover-close",
    ),
]
