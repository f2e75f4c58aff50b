"""The company's reference lists of spec §07: the appearance checklist, the standard greetings,
the "three voices", the ten polite words, forbidden phrases with what to say instead and the
rules for entering a home. A new company starts with the manual's lists (`DEFAULTS`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Company, TimeStampedModel


class StandardKind(models.TextChoices):
    APPEARANCE = "appearance", _("Appearance checklist")  # 仪容仪表
    GREETING = "greeting", _("Standard greetings")  # 标准问候语
    THREE_VOICES = "three_voices", _("The three voices")  # 接待三声
    POLITE_WORDS = "polite_words", _("The ten polite words")  # 十字礼貌用语
    FORBIDDEN = "forbidden", _("Forbidden phrases")  # 服务禁语
    HOME_ENTRY = "home_entry", _("Entering a home")  # 入户规范


# The lists a spot check ticks item by item (the polite words and the forbidden phrases are
# reference: a breach is written in the note of the greeting or three-voices item).
CHECKED_KINDS = (
    StandardKind.APPEARANCE,
    StandardKind.GREETING,
    StandardKind.THREE_VOICES,
    StandardKind.HOME_ENTRY,
)

# Spec §07, in the office's language (a record, like the paper card): (text, instead).
DEFAULTS: dict[str, list[tuple[str, str]]] = {
    StandardKind.APPEARANCE: [
        ("制服整洁挺括，纽扣扣齐，不挽袖、不卷裤腿", ""),
        ("工牌佩戴于左胸", ""),
        ("头发整齐：男员工不遮耳不过领、每日剃须；女员工束发或整齐", ""),
        ("女员工淡妆；不戴夸张首饰，不留长指甲、不涂彩色指甲；不戴墨镜", ""),
        ("上岗前不吃有异味食物，不饮酒", ""),
        ("站姿端正、双手前握；坐姿端正，不倚靠、不跷腿、不把脚放在桌上", ""),
        ("岗位上不吃东西、不看报、不打私人电话、不扎堆聊天、不睡觉", ""),
    ],
    StandardKind.GREETING: [
        ("接听电话：您好，××物业客服中心，请问有什么可以帮您？", ""),
        ("通话结束致谢，待对方先挂机", ""),
    ],
    StandardKind.THREE_VOICES: [
        ("来有迎声", ""),
        ("问有答声", ""),
        ("走有送声", ""),
    ],
    StandardKind.POLITE_WORDS: [
        ("您好", ""),
        ("请", ""),
        ("谢谢", ""),
        ("对不起", ""),
        ("再见", ""),
    ],
    StandardKind.FORBIDDEN: [
        ("不知道", "对不起，我马上帮您查问清楚，××时间前答复您"),
        ("不行", "很抱歉，这样办不了，您看另一种办法是否可以"),
        ("不归我管", "这件事由××部门负责，我帮您联系"),
        ("没上班", "负责的同事暂时不在，我先为您登记，××时间前答复您"),
        ("站住！", "您好，请问您找哪位？"),
        ("等着！", "请您稍等，我马上为您办理"),
        ("你自己弄坏的", "我们先看看原因，再和您商量处理办法"),
        ("有本事去告", "对不起，给您添麻烦了，我们一定认真处理"),
    ],
    StandardKind.HOME_ENTRY: [
        ("先敲门或按门铃，表明身份", ""),
        ("进门穿鞋套", ""),
        ("不乱动住户物品", ""),
        ("离开时清理现场，保持整洁", ""),
    ],
}


class StandardItem(TimeStampedModel):
    """One line of a reference list of the company (a greeting, a forbidden phrase...)."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    kind = models.CharField(_("list"), max_length=20, choices=StandardKind)
    text = models.CharField(_("text"), max_length=200)
    instead = models.CharField(_("say instead"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["company", "kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=StandardKind.values), name="standard_known_kind"
            ),
        ]
        indexes = [models.Index(fields=["company", "kind", "position"], name="standard_by_kind")]

    def __str__(self) -> str:
        return self.text
