"""Plausible Chinese names, drawn from a seeded random generator so the demo is the same every time."""

from __future__ import annotations

import random

# Common surnames, most frequent first: 王、李、张、刘、陈 alone cover about a third of the population.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史"
)
# A Zipf-like weight by rank, close enough to the census shape for a demo.
SURNAME_WEIGHTS = [1 / (rank + 3) for rank in range(len(SURNAMES))]

GIVEN_NAMES = """
子涵 梓萱 浩然 欣怡 宇轩 一诺 雨桐 子轩 思彤 俊杰 诗涵 博文 佳怡 皓轩 可馨 雨泽 语嫣 明哲 静怡 天佑
若曦 嘉懿 晨阳 书瑶 昊天 梦琪 思远 雅琪 振宇 婉清 泽宇 佳琪 文博 晓彤 鹏飞 心怡 子墨 欣然 浩宇 诗琪
志强 慧敏 家豪 紫涵 睿哲 梓涵 俊熙 思琪 宏伟 丽娜 建华 雪梅 子健 晓雯 伟宸 雨萱 立诚 安琪 锦程 沐晨
逸凡 清妍 奕辰 悦然 承泽 芷若 天翊 俊豪 鑫磊 嘉欣 煜祺 钰彤 晟睿 宛如 一鸣 梓琪 子豪 诗雨 永康 晓庆
睿渊 若彤 弘毅 沛珊 铭轩 依诺 致远 紫萱 景行 语桐 修杰 珂欣 明轩 思雨 亦航 欣妍 国栋 瑞雪 凯文 佳悦
嘉诚 诗琳 俊宇 馨予 乐天 雅静 宇航 思佳 海洋 凌霄 新宇 艺涵 志远 文静 子瑜 书恒 晨曦 若琳 昕怡 梓航
""".split()  # noqa: SIM905 — a block of names reads better than 120 quoted strings
SINGLE_GIVEN_NAMES = "涛磊敏静丽强军杰娟勇艳婷洋琳超鑫宇帆楠悦璐晨阳浩萌颖瑶倩"
MOBILE_PREFIXES = ("135", "136", "138", "139", "150", "151", "158", "159", "177", "186", "187", "188")


def chinese_name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
    # About one name in eight has a one-character given name (李静, 王磊).
    given = rng.choice(SINGLE_GIVEN_NAMES) if rng.random() < 0.125 else rng.choice(GIVEN_NAMES)
    return surname + given


def phone_number(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
