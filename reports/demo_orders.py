"""Invented demo orders for the daily report: a week of traffic that exercises every report section.

All texts here were written for this project (no real messages). The week contains several channels,
districts and categories; orders answered on time and late; a few overdue, chased again and again,
rated unsatisfactory twice (屡办未决) and returned by a department; a surge of water cuts (停水) in one
district on the last day (raising an alert); and a group of complaints about night-time construction
noise next to one residential compound (a hot issue).

`generate_demo_orders` returns plain dicts: the `NewWorkOrder` fields, plus ``filed_at`` (when the order
was filed) and ``history`` (the lifecycle actions that followed, each with its time).
`write_demo_orders` replays them through `WorkOrderService` with a settable clock, so the stored rows
and events are exactly what the real service would have produced.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from workorders.config import CityConfig

#: Invented place names (no real compounds, companies or schools).
_COMPOUNDS = [
    "幸福里小区",
    "锦绣江南小区",
    "丹桂苑",
    "春晖花园",
    "翠湖家园",
    "明珠新村",
    "枫林湾小区",
    "和园小区",
]
_ROADS = ["滨江路", "解放大道", "人民路", "建设路", "学府路", "长青路", "朝阳街", "文化路"]
#: Characters for generating many more invented place names, so routine orders rarely share a place
#: by accident (as in a real city, where thousands of compounds and roads appear).
_NAME_CHARS = "安宝博昌晨春翠丹枫芙富港恒华嘉金景康兰乐丽林龙美明宁平琴秋瑞盛书天万温欣阳怡逸银玉悦云泽振紫"
_COMPOUND_SUFFIXES = ["小区", "花园", "家园", "新村", "苑", "公寓"]
_INDUSTRIES = ["建材", "物流", "电子", "服饰", "食品", "装饰", "科技", "机械"]
_ROAD_SUFFIXES = ["路", "街", "大道"]
_SCHOOLS = ["实验小学", "第三中学", "育才中学", "阳光幼儿园", "明德小学", "启航中学"]
_HOSPITALS = ["市第二人民医院", "区中医医院", "社区卫生服务中心"]
_SHOPS = ["优品健身会所", "乐享美发店", "好再来超市", "星光教育培训中心"]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
]

#: (category, title template, request template); {c} compound, {r} road, {co} company, {s} school,
#: {h} hospital, {sh} shop, {n} a number.
_ROUTINE: list[tuple[str, str, str]] = [
    (
        "城乡建设",
        "{c}电梯频繁故障",
        "{c}{n}栋电梯这周已经停了三次，楼里老人多，上下楼很困难，请督促物业尽快彻底维修。",
    ),
    (
        "城乡建设",
        "{r}路灯不亮",
        "{r}靠近{c}的一段路灯连续几个晚上不亮，晚上走路看不清，存在安全隐患，请尽快修复。",
    ),
    (
        "城乡建设",
        "{c}物业乱收停车费",
        "{c}物业今年起每月加收停车管理费，没有公示收费依据，业主意见很大，请核查是否合规。",
    ),
    (
        "城乡建设",
        "{r}窨井盖缺失",
        "{r}与{r2}路口有一个窨井盖不见了，只用几块砖头围着，晚上很危险，请尽快补上。",
    ),
    (
        "劳动和社会保障",
        "咨询养老保险关系转移",
        "我从外地回到本市工作，想把养老保险关系转过来，请问需要准备哪些材料、到哪里办理？",
    ),
    ("劳动和社会保障", "咨询医保异地报销", "我父亲在外地住院，医保能不能异地直接结算？需要先备案吗？"),
    (
        "劳动和社会保障",
        "{co}未签劳动合同",
        "我在{co}上班四个月，公司一直不和我们签劳动合同，也没有交社保，请劳动部门介入。",
    ),
    (
        "教育文体",
        "{s}课后服务收费不透明",
        "{s}的课后服务每学期收费，但没有公布收费标准和服务内容，家长希望公开明细。",
    ),
    (
        "教育文体",
        "{s}门口上下学拥堵",
        "{s}门口每天上下学时段车辆乱停，道路堵得走不动，孩子过马路很危险，建议增加疏导。",
    ),
    ("商贸旅游", "{sh}预付卡无法退费", "我在{sh}办了预付卡，现在店铺说要转让，不给退余额，请帮忙维权。"),
    (
        "商贸旅游",
        "网购家电质量问题商家不退货",
        "在网上买的电暖器用了三天就坏了，商家以已经拆封为由拒绝退货，请市场监管部门处理。",
    ),
    ("环境保护", "{r}餐馆油烟直排", "{r}{n}号的餐馆没有安装油烟净化设备，油烟直接排到居民楼，窗户都不敢开。"),
    (
        "环境保护",
        "{c}附近垃圾清运不及时",
        "{c}东门的垃圾站已经三天没有清运，气味很大，苍蝇很多，请环卫部门尽快处理。",
    ),
    (
        "卫生计生",
        "{h}挂号排队时间太长",
        "{h}早上挂号要排一个多小时，自助机经常故障，希望增加窗口或改进预约。",
    ),
    ("卫生计生", "咨询新生儿疫苗接种", "孩子刚满月，请问第一针乙肝疫苗之后的疫苗在哪里接种，需要预约吗？"),
    (
        "交通运输",
        "{n}路公交车经常不按时发车",
        "{n}路公交车早高峰经常二十多分钟才来一趟，站台上挤满了人，请公交公司增加班次。",
    ),
    (
        "交通运输",
        "{r}路口红绿灯时间太短",
        "{r}与{r2}交叉口行人绿灯只有十几秒，老人根本走不过去，建议延长行人通行时间。",
    ),
]
#: The hot issue: night-time construction noise next to one compound, in one district.
_NOISE = [
    (
        "幸福里小区旁工地夜间施工扰民",
        "幸福里小区西侧的工地每天晚上十一点以后还在施工，打桩声音很大，孩子没法睡觉，请尽快制止。",
    ),
    (
        "投诉幸福里小区边上工地半夜施工",
        "幸福里小区旁边的建筑工地半夜还在运渣土、打桩，噪音扰民已经一个星期了。",
    ),
    (
        "幸福里小区附近工地噪音严重",
        "住在幸福里小区3栋，旁边工地凌晨一两点还有机器轰鸣，严重影响休息，请环保部门查处。",
    ),
    (
        "幸福里小区西边工地夜间施工噪音",
        "幸福里小区西面工地夜里施工，搅拌机和打桩机一直响，请问有没有夜间施工许可？",
    ),
    (
        "反映幸福里小区旁工地晚上施工",
        "幸福里小区边上的工地每晚施工到深夜，多次打电话给施工方都没有用，希望政府管一管。",
    ),
    (
        "幸福里小区工地夜间打桩扰民",
        "幸福里小区旁工地晚上十点以后还在打桩，整栋楼都能感觉到震动，老人心脏不好受不了。",
    ),
    (
        "幸福里小区周边工地深夜施工",
        "幸福里小区周边工地深夜施工噪音超标，已经连续好几天，请执法部门夜间来检查。",
    ),
]
#: The surge: water cut along one road, in one district, on the last day.
_WATER = [
    ("{r}{c}突然停水", "今天一早{r}{c}突然停水，没有看到任何停水通知，请问什么时候恢复供水？"),
    ("{r}一带停水", "{r}一带从早上开始就没水了，家里老人孩子生活很不方便，请尽快抢修。"),
    ("{r}{c}停水大半天", "{r}{c}停水已经大半天了，物业说是市政管道爆管，请水务部门尽快处理并通知恢复时间。"),
    ("{r}{c}没有水", "{r}{c}全小区没有水，打供水热线一直占线，请帮忙问一下情况。"),
    ("{r}爆管导致停水", "{r}上午好像爆管了，路面有水冒出来，周边几个小区都停水了。"),
]
_REPLIES = [
    "经核实，已安排工作人员现场处理，问题已解决，感谢您的反映。",
    "已联系相关单位整改，并将持续跟踪落实情况。",
    "经现场查看，已责令责任单位限期整改，并向来电人做了解释。",
    "已按政策向来电人答复办理流程和所需材料。",
]
_CHANNEL_WEIGHTS = [
    ("phone", 0.45),
    ("web_chat", 0.2),
    ("wechat", 0.15),
    ("app", 0.1),
    ("message_board", 0.1),
]


@dataclass
class _Ctx:
    rng: random.Random
    tz: ZoneInfo
    config: CityConfig
    districts: list[str]
    end: dt.datetime  # no history step after this moment
    compounds: list[str]
    roads: list[str]
    seq: int = 0


def _invented_names(rng: random.Random, suffixes: list[str], count: int, avoid: list[str]) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        name = rng.choice(_NAME_CHARS) + rng.choice(_NAME_CHARS) + rng.choice(suffixes)
        if name not in avoid and name[0] != name[1]:
            names.add(name)
    return sorted(names)


def _citizen(ctx: _Ctx) -> dict[str, Any]:
    ctx.seq += 1
    name = (
        ctx.rng.choice(_SURNAMES)
        + ctx.rng.choice(_GIVEN)
        + (ctx.rng.choice(_GIVEN) if ctx.rng.random() < 0.5 else "")
    )
    return {"name": name, "phone": f"139{ctx.seq:08d}", "anonymous": False}


def _channel(ctx: _Ctx) -> str:
    x, acc = ctx.rng.random(), 0.0
    for channel, weight in _CHANNEL_WEIGHTS:
        acc += weight
        if x < acc:
            return channel
    return "phone"


def _fill(title_template: str, request_template: str, ctx: _Ctx, **fixed: str) -> tuple[str, str]:
    """An order's title and request from their templates, with the same invented places and names
    in both (drawn once, so the title names the school or company the request talks about)."""
    rng = ctx.rng
    road, road2 = rng.sample(ctx.roads, 2)
    values = {
        "c": rng.choice(ctx.compounds), "r": road, "r2": road2,
        "s": rng.choice(_SCHOOLS), "h": rng.choice(_HOSPITALS), "sh": rng.choice(_SHOPS),
        "co": rng.choice(_NAME_CHARS) + rng.choice(_NAME_CHARS) + rng.choice(_INDUSTRIES) + "有限公司",
        "n": str(rng.randint(2, 39)),
    }  # fmt: skip
    values.update(fixed)
    return title_template.format(**values), request_template.format(**values)


def _lead(ctx: _Ctx, category: str, text: str) -> str:
    return ctx.config.route(category, text).lead


def _order(
    ctx: _Ctx,
    filed_at: dt.datetime,
    category: str,
    title: str,
    request: str,
    district: str,
    address: str | None = None,
    urgency: str = "normal",
    matter_type: str = "complaint",
) -> dict[str, Any]:
    return {
        "channel": _channel(ctx),
        "citizen": _citizen(ctx),
        "title": title,
        "request": request,
        "facts": "",
        "address": address,
        "district": district,
        "category": category,
        "urgency": urgency,
        "matter_type": matter_type,
        "idempotency_key": f"demo-{filed_at:%Y%m%d%H%M%S}-{ctx.seq:05d}",
        "filed_at": filed_at,
        "history": [],
    }


def _step(order: dict[str, Any], ctx: _Ctx, at: dt.datetime, action: str, **data: Any) -> bool:
    """Append an action unless it would happen after the demo's end; returns whether it was added."""
    if at > ctx.end:
        return False
    order["history"].append({"action": action, "at": at, "actor": data.pop("actor", "demo"), **data})
    return True


def _normal_flow(
    order: dict[str, Any], ctx: _Ctx, lead: str, *, late_sign: bool = False, rating: int | None = None
) -> None:
    """Dispatch, sign for, handle, reply, rate and close, as far as the demo's end allows."""
    rng, t = ctx.rng, order["filed_at"]
    t += dt.timedelta(minutes=rng.randint(5, 50))
    if not _step(order, ctx, t, "dispatch", lead_department=lead, actor="operator01", actor_role="operator"):
        return
    t += dt.timedelta(hours=rng.uniform(26, 40) if late_sign else rng.uniform(0.5, 8))
    if not _step(order, ctx, t, "sign_for", actor=lead, actor_role="department"):
        return
    t += dt.timedelta(hours=rng.uniform(0.2, 3))
    if not _step(order, ctx, t, "start_handling", actor=lead, actor_role="department"):
        return
    t += dt.timedelta(hours=rng.uniform(20, 70))
    if not _step(
        order, ctx, t, "reply", reply_text=rng.choice(_REPLIES), actor=lead, actor_role="department"
    ):
        return
    t += dt.timedelta(hours=rng.uniform(2, 20))
    score = rating if rating is not None else rng.choices([5, 4, 3, 2], weights=[50, 30, 12, 8])[0]
    if not _step(order, ctx, t, "rate", rating=score, actor="callback01", actor_role="operator"):
        return
    if score > ctx.config.supervision.unsatisfied_at_or_below:
        _step(
            order,
            ctx,
            t + dt.timedelta(minutes=rng.randint(5, 90)),
            "close",
            actor="operator01",
            actor_role="operator",
        )


def generate_demo_orders(
    config: CityConfig, days: int = 7, seed: int = 20261127, end: dt.date | None = None
) -> list[dict[str, Any]]:
    """A deterministic week of invented orders ending on `end` (default: yesterday, local time).

    Args:
        config: The city config (districts, departments, catalogue, supervision thresholds).
        days: Days of regular traffic, ending on `end`; a few older orders are added for the
            overdue list.
        seed: Random seed; the same seed and `end` give the same orders.
        end: The last day (the day the demo report is about); no action happens after it.

    Returns:
        Dicts of `NewWorkOrder` fields plus ``filed_at`` (aware datetime) and ``history`` (a list
        of ``{"action", "at", "actor", "actor_role", ...TransitionRequest fields}``), oldest first.
    """
    tz = ZoneInfo(config.timezone)
    if end is None:
        end = dt.datetime.now(tz).date() - dt.timedelta(days=1)
    districts = list(config.city.districts) or ["城区"]
    rng = random.Random(seed)
    ctx = _Ctx(
        rng=rng,
        tz=tz,
        config=config,
        districts=districts,
        end=dt.datetime.combine(end, dt.time(23, 0), tzinfo=tz),
        compounds=_invented_names(rng, _COMPOUND_SUFFIXES, 120, _COMPOUNDS),
        roads=_invented_names(rng, _ROAD_SUFFIXES, 60, _ROADS),
    )
    first = end - dt.timedelta(days=days - 1)
    orders: list[dict[str, Any]] = []

    def at(day: dt.date, lo: int = 8, hi: int = 21) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(rng.randint(lo, hi - 1), rng.randint(0, 59)), tzinfo=tz)

    # Regular traffic: 14–22 orders a day (more on the last day), most handled normally.
    for k in range(days):
        day = first + dt.timedelta(days=k)
        for _ in range(rng.randint(14, 22) + (6 if day == end else 0)):
            category, title_t, request_t = rng.choice(_ROUTINE)
            fixed = {"c": rng.choice(ctx.compounds), "r": rng.choice(ctx.roads)}
            title, request = _fill(title_t, request_t, ctx, **fixed)
            district = rng.choice(districts)
            # Consultations name no place; complaints about a place carry its address.
            located = "{c}" in title_t + request_t or "{r}" in title_t + request_t
            o = _order(
                ctx,
                at(day),
                category,
                title,
                request,
                district,
                f"{district}{fixed['r']}{rng.randint(1, 200)}号" if located else None,
            )
            _normal_flow(o, ctx, _lead(ctx, category, title + request), late_sign=rng.random() < 0.12)
            orders.append(o)

    noise_district = districts[0]
    water_district = districts[2 % len(districts)]

    # The hot issue: construction noise next to 幸福里小区, over the last four days, different callers.
    for i, (title, request) in enumerate(_NOISE):
        day = end - dt.timedelta(days=3 - i * 4 // len(_NOISE))
        o = _order(
            ctx,
            at(day, 19, 23),
            "环境保护",
            title,
            request,
            noise_district,
            f"{noise_district}长青路幸福里小区",
        )
        _normal_flow(o, ctx, _lead(ctx, "环境保护", title + request))
        orders.append(o)

    # The surge: water cuts along one road in one district on the last day (one stray case before).
    water_road = "滨江路"
    stray = _order(
        ctx,
        at(end - dt.timedelta(days=5)),
        "城乡建设",
        "锦绣江南小区水压低",
        "锦绣江南小区高层水压低，晚上经常没水。",
        water_district,
        f"{water_district}{water_road}锦绣江南小区",
    )
    _normal_flow(stray, ctx, _lead(ctx, "城乡建设", "水压 没水"))
    orders.append(stray)
    for i in range(9):
        title_t, request_t = _WATER[i % len(_WATER)]
        fixed = {"c": _COMPOUNDS[1 + i % (len(_COMPOUNDS) - 1)], "r": water_road}
        title, request = _fill(title_t, request_t, ctx, **fixed)
        o = _order(
            ctx,
            at(end, 7, 12),
            "城乡建设",
            title,
            request,
            water_district,
            f"{water_district}{water_road}{fixed['c']}",
            urgency="expedited",
            matter_type="help_request",
        )
        _normal_flow(o, ctx, _lead(ctx, "城乡建设", title + request))
        orders.append(o)

    _supervision_cases(ctx, orders, end)
    orders.sort(key=lambda o: o["filed_at"])
    return orders


def _supervision_cases(ctx: _Ctx, orders: list[dict[str, Any]], end: dt.date) -> None:
    """Orders for the supervision lists: overdue, chased, rated unsatisfactory twice, returned."""
    rng, tz, districts = ctx.rng, ctx.tz, ctx.districts

    def when(days_before: int, hour: int = 10) -> dt.datetime:
        return dt.datetime.combine(
            end - dt.timedelta(days=days_before), dt.time(hour, rng.randint(0, 59)), tzinfo=tz
        )

    # Overdue: signed for but never answered, filed 10–14 days ago (5 working days have passed).
    overdue = [
        (
            "城乡建设",
            "{c}楼顶渗水无人维修",
            "{c}{n}栋顶楼每逢下雨就渗水，找物业和开发商都互相推诿，请主管部门协调维修。",
        ),
        ("环境保护", "{r}洗车店污水直排", "{r}上一家洗车店的污水直接排进雨水井，路面常年污水横流，请查处。"),
        (
            "劳动和社会保障",
            "{co}拒不支付加班费",
            "在{co}每天加班三四个小时，公司从不支付加班费，请劳动监察处理。",
        ),
    ]
    for i, (category, title_t, request_t) in enumerate(overdue):
        fixed = {"c": rng.choice(ctx.compounds), "r": rng.choice(ctx.roads)}
        title, request = _fill(title_t, request_t, ctx, **fixed)
        o = _order(ctx, when(10 + 2 * i), category, title, request, districts[(i + 1) % len(districts)])
        lead = _lead(ctx, category, title + request)
        t = o["filed_at"]
        _step(
            o,
            ctx,
            t + dt.timedelta(minutes=30),
            "dispatch",
            lead_department=lead,
            actor="operator01",
            actor_role="operator",
        )
        _step(o, ctx, t + dt.timedelta(hours=3), "sign_for", actor=lead, actor_role="department")
        _step(o, ctx, t + dt.timedelta(hours=5), "start_handling", actor=lead, actor_role="department")
        orders.append(o)

    # Chased again and again: the citizen called back three or four times (auto-supervised at 3).
    chased = [
        (
            "城乡建设",
            "{c}地下车库积水",
            "{c}地下车库一下雨就积水，车辆被泡，物业说排水泵坏了一直不修。",
            "normal",
        ),
        ("交通运输", "{r}路面塌陷", "{r}靠近{c}的路面塌陷出一个大坑，车辆绕行，非常危险。", "urgent"),
    ]
    for i, (category, title_t, request_t, urgency) in enumerate(chased):
        fixed = {"c": rng.choice(ctx.compounds), "r": rng.choice(ctx.roads)}
        title, request = _fill(title_t, request_t, ctx, **fixed)
        district = districts[(i + 3) % len(districts)]
        o = _order(ctx, when(4 + i), category, title, request, district, urgency=urgency)
        lead = _lead(ctx, category, title + request)
        t = o["filed_at"]
        _step(
            o,
            ctx,
            t + dt.timedelta(minutes=20),
            "dispatch",
            lead_department=lead,
            actor="operator01",
            actor_role="operator",
        )
        _step(o, ctx, t + dt.timedelta(hours=2), "sign_for", actor=lead, actor_role="department")
        for k in range(3 + i):
            _step(
                o,
                ctx,
                t + dt.timedelta(days=1 + k * 0.7),
                "chase",
                reason="群众再次来电催办",
                actor="operator02",
                actor_role="operator",
            )
        orders.append(o)

    # Rated unsatisfactory twice (屡办未决): two replies, two bad ratings, back in handling.
    for i in range(2):
        category, title_t, request_t = (
            ("城乡建设", "{c}物业不作为", "{c}楼道堆满杂物，消防通道被堵，多次找物业都不处理。")
            if i == 0
            else ("商贸旅游", "{sh}虚假宣传", "{sh}宣传的课程效果与实际严重不符，要求退费被拒绝。")
        )
        fixed = {"c": rng.choice(ctx.compounds), "sh": rng.choice(_SHOPS)}
        title, request = _fill(title_t, request_t, ctx, **fixed)
        o = _order(ctx, when(6 + i), category, title, request, districts[(i + 4) % len(districts)])
        lead = _lead(ctx, category, title + request)
        t = o["filed_at"]
        _step(
            o,
            ctx,
            t + dt.timedelta(minutes=15),
            "dispatch",
            lead_department=lead,
            actor="operator01",
            actor_role="operator",
        )
        _step(o, ctx, t + dt.timedelta(hours=1), "sign_for", actor=lead, actor_role="department")
        _step(o, ctx, t + dt.timedelta(hours=2), "start_handling", actor=lead, actor_role="department")
        _step(
            o,
            ctx,
            t + dt.timedelta(days=1),
            "reply",
            reply_text="已要求责任单位整改。",
            actor=lead,
            actor_role="department",
        )
        _step(
            o,
            ctx,
            t + dt.timedelta(days=1, hours=4),
            "rate",
            rating=2,
            actor="callback01",
            actor_role="operator",
        )
        _step(
            o,
            ctx,
            t + dt.timedelta(days=3),
            "reply",
            reply_text="已再次督促整改。",
            actor=lead,
            actor_role="department",
        )
        _step(
            o,
            ctx,
            t + dt.timedelta(days=3, hours=5),
            "rate",
            rating=1,
            actor="callback01",
            actor_role="operator",
        )
        orders.append(o)

    # Returns (退单): wrongly routed orders sent back, then reassigned to the right department.
    returns = [
        (
            "城乡建设",
            "{c}违章搭建阳光房",
            "{c}顶楼住户违章搭建阳光房，遮挡邻居采光，请查处。",
            "housing",
            "urban_management",
        ),
        (
            "城乡建设",
            "{r}占道经营",
            "{r}人行道上摆满了摊位，行人只能走机动车道。",
            "housing",
            "urban_management",
        ),
        ("环境保护", "{r}夜市噪音", "{r}夜市音响声音很大，到凌晨还不停。", "urban_management", "ecology"),
        (
            "城乡建设",
            "{c}二次供水水质发黄",
            "{c}自来水发黄有异味，怀疑二次供水水箱没有清洗。",
            "housing",
            "water",
        ),
    ]
    for i, (category, title_t, request_t, wrong, right) in enumerate(returns):
        if wrong not in {d.code for d in ctx.config.departments} or right not in {
            d.code for d in ctx.config.departments
        }:
            continue
        fixed = {"c": rng.choice(ctx.compounds), "r": rng.choice(ctx.roads)}
        title, request = _fill(title_t, request_t, ctx, **fixed)
        o = _order(ctx, when(1 + i % 3, 9), category, title, request, districts[i % len(districts)])
        t = o["filed_at"]
        _step(
            o,
            ctx,
            t + dt.timedelta(minutes=20),
            "dispatch",
            lead_department=wrong,
            actor="operator01",
            actor_role="operator",
        )
        _step(
            o,
            ctx,
            t + dt.timedelta(hours=3),
            "return",
            reason="不属于本单位职责",
            actor=wrong,
            actor_role="department",
        )
        _step(
            o,
            ctx,
            t + dt.timedelta(hours=4),
            "reassign",
            lead_department=right,
            reason="按职责改派",
            actor="operator01",
            actor_role="operator",
        )
        _step(o, ctx, t + dt.timedelta(hours=6), "sign_for", actor=right, actor_role="department")
        orders.append(o)


class DemoClock:
    """A settable clock for replaying demo orders through the service at their historical times."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


_TRANSITION_FIELDS = ("actor", "actor_role", "reason", "lead_department", "assisting_departments", "category",
                      "reply_text", "rating", "amount", "text", "related_order_id")  # fmt: skip


def write_demo_orders(
    service_factory: Callable[[Callable[[], dt.datetime]], Any],
    orders: Sequence[dict[str, Any]],
    triage: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None,
) -> int:
    """File the demo orders and replay their histories through a `WorkOrderService`.

    Args:
        service_factory: Builds a service given a clock, e.g.
            ``lambda clock: WorkOrderService(sessions, config, clock=clock)``.
        orders: Output of `generate_demo_orders`.
        triage: The triage stored with each order (as a live intake stores it), so the operator
            pages show suggestions for demo orders too; None files them without one.

    Returns:
        How many orders were filed (orders already present, by idempotency key, are not duplicated).
    """
    from workorders.enums import EventKind
    from workorders.schemas import NewWorkOrder, TransitionRequest

    clock = DemoClock(dt.datetime.now(dt.UTC))
    service = service_factory(clock)
    filed = 0
    for order in orders:
        fields = {k: v for k, v in order.items() if k not in ("filed_at", "history")}
        if triage is not None:
            fields["triage"] = triage(order)
        clock.now = order["filed_at"]
        read = service.file(NewWorkOrder.model_validate(fields))
        if read.status != "accepted" or read.updated_at != read.created_at:
            continue  # already loaded earlier: do not replay its history twice
        filed += 1
        for step in order["history"]:
            clock.now = step["at"]
            request = TransitionRequest(
                action=EventKind(step["action"]), **{k: step[k] for k in _TRANSITION_FIELDS if k in step}
            )
            service.transition(read.id, request)
    return filed
