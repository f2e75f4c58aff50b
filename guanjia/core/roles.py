"""The staff roles of spec §26, by code: the names every app checks and declares permissions
for. Core owns them because core's mechanisms name roles (policies, documents); accounts
stores who holds which role where (`Membership`), and each role is a Django group of the
same name."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The staff roles of spec §26. Each is a Django group of the same name."""

    DIRECTOR = "director", _("Office director")  # 管理处主任
    SUPERVISOR = "supervisor", _("CSC supervisor")  # 客服主管
    RECEPTIONIST = "receptionist", _("Receptionist")  # 前台接待员
    CASHIER = "cashier", _("Cashier")  # 收费员
    AREA_MANAGER = "area_manager", _("Area manager")  # 管理员
    ENGINEERING_LEAD = "engineering_lead", _("Engineering lead")  # 工程主管
    TECHNICIAN = "technician", _("Technician")  # 维修工
    SECURITY = "security", _("Security")  # 秩序维护
    FINANCE = "finance", _("Company finance")  # 财务部
    HR = "hr", _("Company HR")  # 行政人事部
    MANAGEMENT = "management", _("Company management")  # 公司管理层
    AUDITOR = "auditor", _("Auditor (read-only)")  # 审计
    ADMIN = "admin", _("Company administrator")  # 系统管理员


# Roles whose holders work for the whole company rather than in one community.
COMPANY_ROLES = frozenset({Role.FINANCE, Role.HR, Role.MANAGEMENT, Role.AUDITOR, Role.ADMIN})


def role_label(code: str) -> str:
    """The translated name of a role code; the code itself for a group that is not a Role."""
    try:
        return str(Role(code).label)
    except ValueError:
        return code
