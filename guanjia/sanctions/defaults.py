"""The sanction table every community starts from: the examples of spec §19 (amounts in yuan,
stored in fen). The office edits its own rows; these are only the first values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# (code, name, default, highest, per person, plus damage, measures)
DEFAULTS: list[tuple[str, str, str, str, bool, bool, tuple[str, ...]]] = [
    ("no_pass", "无证、过期证或使用他人出入证", "100", "100", False, False, ("confiscate_pass",)),
    ("wrong_unit", "串房（进入非本施工单元或楼层）", "30", "50", True, True,
     ("confiscate_pass", "expel")),
    ("hours_noise", "超时施工或噪音扰民", "100", "200", False, False, ("stop_work",)),
    ("dress", "衣冠不整（赤膊等）", "100", "100", False, False, ()),
    ("smoking", "在电梯或禁烟区吸烟", "100", "100", False, False, ()),
    ("lift", "乘坐客梯或损坏电梯", "100", "100", False, True, ()),
    ("protection", "施工未做好地面及公共区域保护", "300", "300", False, False, ()),
    ("drains", "向下水道倾倒水泥、砂浆或垃圾", "500", "500", False, True, ()),
    ("left_open", "离场未关水电门窗", "200", "200", False, False, ()),
    ("fire_equipment", "擅自动用消防器材", "300", "300", False, False, ()),
    ("debris", "公共区域堆放垃圾（每次）", "200", "200", False, False, ()),
    ("littering", "随地吐痰、乱扔垃圾", "100", "100", False, False, ()),
    ("throwing", "高空抛物", "500", "1000", False, True, ("expel", "call_police")),
    ("crime", "赌博、偷盗、危害他人安全", "1000", "1000", False, True,
     ("expel", "call_police")),
    ("vendor", "未经许可推销或派发传单", "0", "0", False, False, ("expel", "remove_materials")),
]  # fmt: skip


def rows(community_id: int) -> list[dict[str, Any]]:
    """The default lines for one community, as keyword arguments of `SanctionType`."""
    out = []
    for sort, (code, name, default, high, per_person, damage, measures) in enumerate(DEFAULTS):
        values: dict[str, Any] = {
            "community_id": community_id,
            "code": code,
            "name": name,
            "default_amount": Decimal(default),
            "max_amount": Decimal(high),
            "per_person": per_person,
            "plus_damage": damage,
            "sort": (sort + 1) * 10,
        }
        values.update(dict.fromkeys(measures, True))
        out.append(values)
    return out
