"""The buyer list (业主名单): one row a unit, onto an open delivery batch of the community
(named in the 交房批次 column, or the only open batch when the column is left empty)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.core.imports.base import Column, ColumnType, CommitReport, Importer, ImportRow
from guanjia.core.models import Community
from guanjia.core.personal_data import mask_id_number
from guanjia.estates.importers.common import room_columns
from guanjia.estates.models import room_code_for

from ..models import BatchStatus, BuyerKind, DeliveryBatch
from ..services.buyers import BuyerCheck, BuyerRow, import_buyers

COMPANY_WORDS = {"单位", "公司", "企业", "company"}


def _room(data: dict[str, Any]) -> str:
    if not data.get("building") or not data.get("room_number"):
        return ""
    return room_code_for(data["building"], data.get("entrance") or None, data["room_number"])


def _row(data: dict[str, Any]) -> BuyerRow:
    kind = (data.get("buyer_kind") or "").strip().lower()
    return BuyerRow(
        room_code=_room(data),
        buyer_name=data.get("buyer_name") or "",
        id_number=data.get("id_number") or "",
        phone=data.get("phone") or "",
        contract_no=data.get("contract_no") or "",
        buyer_kind=BuyerKind.COMPANY if kind in COMPANY_WORDS else BuyerKind.PERSON,
        contact_person=data.get("contact_person") or "",
        joint_owners=data.get("joint_owners") or "",
    )


class BuyerImporter(Importer):
    code = "movein_buyers"
    label = gettext_lazy("Buyer list for a delivery batch")
    permission = "movein.add_deliverybatch"
    done_url_name = "movein:batch-list"
    count_labels = {"buyers": gettext_lazy("Buyers listed")}
    columns = (
        Column(
            "batch",
            "交房批次",
            "Batch",
            max_length=100,
            example="一期第一批",
            help_text=gettext_lazy("The batch's name; empty: the community's only open batch."),
        ),
        *room_columns(),
        Column("buyer_name", "业主姓名", "Buyer", required=True, max_length=100, example="张三"),
        Column(
            "buyer_kind",
            "业主类型",
            "Buyer kind",
            max_length=10,
            example="个人",
            help_text=gettext_lazy("个人 or 单位 (a company: give its contact person)."),
        ),
        Column("contact_person", "联系人", "Contact person", max_length=50),
        Column(
            "id_number",
            "证件号码",
            "ID number",
            max_length=40,
            personal=True,
            mask=mask_id_number,
            help_text=gettext_lazy("A resident ID is checked by its check digit."),
        ),
        Column(
            "phone",
            "联系电话",
            "Phone",
            type=ColumnType.MOBILE,
            personal=True,
            example="13812345678",
        ),
        Column("contract_no", "购房合同号", "Purchase contract no.", max_length=50),
        Column("joint_owners", "共有人", "Joint owners", max_length=200),
    )

    def __init__(self, *, by: User, community: Community | None) -> None:
        super().__init__(by=by, community=community)
        self.batches: dict[str, DeliveryBatch] = {}
        self.check: BuyerCheck | None = None

    def prepare(self, rows: Sequence[ImportRow]) -> None:
        if self.community is None:
            raise ValidationError(_("Choose the community to import into first."))
        self.batches = {
            b.name: b
            for b in DeliveryBatch.objects.filter(community=self.community, status=BatchStatus.OPEN)
        }
        self.check = BuyerCheck(self.community, [_room(r.data) for r in rows])
        self.line = 1

    def _batch(self, name: str) -> DeliveryBatch:
        if name:
            if name not in self.batches:
                raise ValidationError(
                    {"batch": _("There is no open batch “%(name)s”.") % {"name": name}}
                )
            return self.batches[name]
        if len(self.batches) != 1:
            raise ValidationError({"batch": _("Name the batch: there is not exactly one open.")})
        return next(iter(self.batches.values()))

    def validate_row(self, row: dict[str, Any]) -> dict[str, Any]:
        if self.check is None:
            self.prepare([])
        check = self.check
        if check is None:
            raise ValidationError(_("Choose the community to import into first."))
        self.line += 1
        errors: dict[str, list[str]] = {}
        try:
            row["batch"] = self._batch(row.get("batch") or "").name
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if _room(row):
            try:
                check.check(_row(row), self.line)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        return row

    def commit(
        self, rows: Sequence[ImportRow], *, by: User, community: Community | None
    ) -> CommitReport:
        self.prepare(rows)
        grouped: dict[str, list[BuyerRow]] = {}
        for row in rows:
            grouped.setdefault(self._batch(row.data.get("batch") or "").name, []).append(
                _row(row.data)
            )
        made = sum(
            import_buyers(batch=self.batches[name], rows=buyers, by=by)
            for name, buyers in grouped.items()
        )
        return CommitReport(created=made, counts={"buyers": made})
