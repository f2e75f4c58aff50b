"""What residents say to the demo's service desk, and what the staff write back."""

from __future__ import annotations

# (question, answer given on the spot)
CONSULTATIONS: list[tuple[str, str]] = [
    ("物业费可以微信缴纳吗？", "可以，前台和业主端均可缴纳。"),
    ("小区游泳池几点开放？", "每天 9:00–21:00，周一闭馆清洁。"),
    ("装修需要办理什么手续？", "携带房产证和装修公司资质到前台办理装修登记，押金 2000 元。"),
    ("快递可以放在前台代收吗？", "可以，前台代收快递保存 7 天，凭取件码领取。"),
    ("停车月卡怎么办理？", "携带行驶证和身份证到前台办理，月卡 300 元。"),
    ("小区什么时候停水检修？", "本周四 9:00–15:00 二次供水水箱清洗，已张贴通知。"),
    ("门禁卡丢了怎么补办？", "带身份证到前台补办，工本费 20 元，当场可取。"),
    ("租客可以办理门禁卡吗？", "凭租赁合同和业主同意书可以办理。"),
    ("垃圾分类投放时间是几点？", "早 7:00–9:00，晚 18:00–21:00，其他时间投放到定时点。"),
    ("物业费发票怎么开？", "缴费后在前台或业主端申请电子发票，三个工作日内发送。"),
]
# (kind, what was said, the answer given later)
OTHER_REQUESTS: list[tuple[str, str, str]] = [
    ("suggestion", "建议在儿童游乐区增加遮阳棚", "已纳入明年公共设施改造计划，谢谢建议。"),
    ("suggestion", "建议延长健身房开放时间", "经业委会同意，周末延长至 22:00。"),
    ("praise", "表扬保安小李帮忙搬运重物", "已转达并在月度例会上表扬。"),
    ("praise", "维修师傅态度很好，半小时就修好了", "感谢认可，已转达工程部。"),
    ("help", "老人被锁在门外，需要帮忙联系开锁", "已联系家属并协助开门。"),
    ("help", "车辆电瓶亏电，请求帮助搭电", "秩序维护员已到场协助搭电。"),
]
# (category, department, what the resident complained of, the result of the handling)
COMPLAINTS: list[tuple[str, str, str, str]] = [
    (
        "neighbour",
        "customer_service",
        "楼上装修噪音太大，中午也在施工",
        "已约谈装修户，午休时段停止施工",
    ),
    ("neighbour", "customer_service", "邻居在楼道堆放杂物", "已通知清理，杂物已移走"),
    ("neighbour", "security", "楼下住户养狗夜间吠叫", "已上门沟通，住户承诺加强管理"),
    ("cleaning", "cleaning", "电梯厅地面多日未清洁", "已安排保洁加强清洁频次"),
    ("cleaning", "cleaning", "垃圾桶满溢无人清理", "已调整垃圾清运时间"),
    ("cleaning", "cleaning", "绿化带杂草丛生有蚊虫", "已修剪绿化并喷洒灭蚊药"),
    ("security", "security", "外来车辆占用业主车位", "已加强车辆进出登记，违停车辆已移走"),
    ("security", "security", "保安夜间巡逻不到位", "已调整巡逻路线并增加夜间班次"),
    ("service", "customer_service", "前台接待态度生硬", "已对当事员工进行服务培训"),
    ("service", "customer_service", "打客服电话长时间无人接听", "已增加午间值班人员"),
    ("repair", "engineering", "报修后维修人员迟迟未到", "已加派维修人员并致歉"),
    ("repair", "engineering", "地下车库照明不足", "已增加照明灯具"),
    ("fees", "finance", "物业费账单金额有疑问", "已核对账单并向业主解释计费标准"),
    ("other", "customer_service", "小区公告栏信息过期未更新", "已更新公告栏并指定专人维护"),
]
# (category, what was reported, fault found, work done, may be a paid job)
REPAIRS_HOME: list[tuple[str, str, str, str, bool]] = [
    ("plumbing", "厨房水管漏水", "水管接头老化", "更换水管接头", True),
    ("plumbing", "卫生间下水道堵塞", "下水管道有异物", "疏通下水道", True),
    ("plumbing", "马桶水箱一直流水", "水箱配件损坏", "更换水箱配件", True),
    ("electrical", "家里跳闸，部分插座没电", "插座线路短路", "更换插座并检修线路", True),
    ("electrical", "客厅灯不亮", "灯具镇流器损坏", "更换镇流器", True),
    ("doors", "入户门锁打不开", "锁芯卡死", "更换锁芯", True),
    ("doors", "窗户关不严漏风", "窗户密封条老化", "更换密封条", True),
    ("walls", "卧室天花板渗水", "楼上防水层破损", "协调楼上修补防水并修补天花", False),
    ("walls", "外墙渗水导致墙面发霉", "外墙裂缝", "外墙裂缝注浆修补", False),
    ("other", "阳台晾衣架升降失灵", "钢丝绳断裂", "更换钢丝绳", True),
]
REPAIRS_COMMON: list[tuple[str, str, str, str, bool]] = [
    ("electrical", "楼道灯不亮", "灯管老化", "更换灯管", False),
    ("electrical", "地下车库照明灯损坏", "灯具损坏", "更换 LED 灯具", False),
    ("lift", "电梯按钮失灵", "按钮接触不良", "更换电梯按钮", False),
    ("lift", "电梯运行有异响", "导靴磨损", "更换导靴并调试", False),
    ("doors", "单元门禁无法关闭", "闭门器损坏", "更换闭门器", False),
    ("plumbing", "消防栓漏水", "阀门密封圈老化", "更换密封圈", False),
    ("walls", "楼道墙皮脱落", "墙面受潮", "铲除脱落墙皮并重新粉刷", False),
]
LOBBIES = ["1栋电梯厅", "2栋楼道", "3栋单元门", "地下车库B区", "中心花园", "会所门口", "5栋天台"]
# (kind, subject, the letter, the written reply)
LETTERS: list[tuple[str, str, str, str]] = [
    ("suggestion", "关于增设电动车充电桩的建议", "小区电动车越来越多，建议在地面停车区增设充电桩。",
     "经与供电部门协商，将于下季度在 2 号停车区增设 20 个充电桩。"),
    ("suggestion", "关于公共收益公开的建议", "建议每季度公开小区公共收益的收支情况。",
     "公共收益收支情况将于每季度首月在公告栏和业主端公示。"),
    ("help", "关于房屋漏水协调的求助", "楼上住户长期不在家，卫生间漏水影响我家，请物业协调。",
     "已联系楼上业主，约定本周六上门维修，维修期间物业派员见证。"),
    ("consultation", "关于物业服务费标准的询问", "请书面说明今年物业服务费的收费依据。",
     "本小区物业服务费按物价备案标准收取，备案文件可在前台查阅。"),
]  # fmt: skip
