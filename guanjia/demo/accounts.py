"""Demo company, communities and one login per role (password DEMO_PASSWORD)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

from guanjia.accounts.models import Membership, User
from guanjia.core.models import Community, Company
from guanjia.core.roles import Role

DEMO_PASSWORD = "guanjia-demo"  # noqa: S105  # demo logins only; never created by production

COMMUNITIES = [
    ("cuihu", "翠湖花园", "广州市天河区翠湖路88号"),
    ("jinxiu", "锦绣华庭", "广州市海珠区锦绣大道18号"),
]

# username, full name, staff no, [(role, community codes or None for company-wide)]
USERS: list[tuple[str, str, str, list[tuple[str, list[str] | None]]]] = [
    ("director", "李建国", "S001", [(Role.DIRECTOR, ["cuihu", "jinxiu"])]),
    ("supervisor", "王秀英", "S002", [(Role.SUPERVISOR, ["cuihu", "jinxiu"])]),
    ("reception", "陈静", "S003", [(Role.RECEPTIONIST, ["cuihu"])]),
    ("cashier", "赵敏", "S004", [(Role.CASHIER, ["cuihu", "jinxiu"])]),
    ("manager1", "张伟", "S005", [(Role.AREA_MANAGER, ["cuihu"])]),
    ("manager2", "曾志强", "S006", [(Role.AREA_MANAGER, ["jinxiu"])]),
    ("engineer", "刘洋", "S007", [(Role.ENGINEERING_LEAD, ["cuihu", "jinxiu"])]),
    ("guard", "单国栋", "S008", [(Role.SECURITY, ["cuihu"])]),
    ("finance", "周丽华", "S009", [(Role.FINANCE, None)]),
    ("hr", "孙海燕", "S010", [(Role.HR, None)]),
    ("admin", "吴强", "S011", [(Role.ADMIN, None)]),
    ("tech1", "何志明", "S012", [(Role.TECHNICIAN, ["cuihu"])]),
    ("tech2", "林建华", "S013", [(Role.TECHNICIAN, ["jinxiu"])]),
    ("reception2", "黄丽", "S014", [(Role.RECEPTIONIST, ["jinxiu"])]),
]


def load(*, today: dt.date) -> dict[str, object]:
    """Create what is missing; keep what is there (a second run changes nothing)."""
    company, _ = Company.objects.get_or_create(
        name="广州安居物业服务有限公司",
        defaults={
            "short_name": "安居物业",
            "address": "广州市天河区体育西路1号",
            "phone": "020-88886666",
        },
    )
    communities: dict[str, Community] = {}
    for code, name, address in COMMUNITIES:
        communities[code], _ = Community.objects.get_or_create(
            company=company,
            code=code,
            defaults={
                "name": name,
                "address": address,
                "office_name": f"{name}管理处",
                "office_phone": "020-8888" + str(1000 + len(communities)),
                "office_hours": "08:30–18:00",
            },
        )
    groups = {group.name: group for group in Group.objects.all()}
    created = 0
    for username, full_name, staff_no, grants in USERS:
        user, is_new = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "staff_no": staff_no,
                "company": company,
                "phone": f"1380020{staff_no[1:]:0>4}",
                "is_staff": username == "admin",
            },
        )
        if not is_new:
            continue
        created += 1
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        for role, codes in grants:
            for code in codes or [""]:
                Membership.objects.create(
                    user=user,
                    role=groups[role],
                    starts_on=today - dt.timedelta(days=365),
                    community=communities[code] if code else None,
                )
    return {"company": company, "communities": communities, "users_created": created}
