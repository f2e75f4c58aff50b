"""The shared list of violation types (spec §11 "Typical violations"), in the office's
language; each community adds its own on the types page."""

from django.db import migrations

# (group, name, structural)
TYPES = [
    ("renovation", "拆改承重墙、结构", True),
    ("renovation", "改变外立面(门窗、阳台、颜色)", False),
    ("renovation", "屋面、阳台违章搭建", True),
    ("renovation", "擅自移动燃气、排水管道", True),
    ("renovation", "堵塞管井", False),
    ("renovation", "超时施工", False),
    ("renovation", "乱倒装修垃圾", False),
    ("use", "擅自改变房屋用途(商用、仓库、群租)", False),
    ("use", "存放易燃易爆等危险品", False),
    ("common_areas", "占用楼道、楼梯、天面堆放物品", False),
    ("common_areas", "公共门私自加锁", False),
    ("common_areas", "侵占绿地", False),
    ("common_areas", "私拉电线", False),
    ("common_areas", "乱张贴广告", False),
    ("behaviour", "高空抛物", False),
    ("behaviour", "噪音扰民", False),
    ("behaviour", "乱丢垃圾", False),
    ("behaviour", "宠物违规(未拴绳、随地便溺)", False),
    ("behaviour", "消防通道、绿地违规停车", False),
    ("behaviour", "损坏公共设施", False),
]


def seed(apps, schema_editor):
    ViolationType = apps.get_model("violations", "ViolationType")
    for sort, (group, name, structural) in enumerate(TYPES, start=1):
        ViolationType.objects.get_or_create(
            community=None,
            name=name,
            defaults={"group": group, "structural": structural, "sort": sort},
        )


def unseed(apps, schema_editor):
    ViolationType = apps.get_model("violations", "ViolationType")
    ViolationType.objects.filter(community=None, name__in=[t[1] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("violations", "0001_resident_violations")]

    operations = [migrations.RunPython(seed, unseed)]
