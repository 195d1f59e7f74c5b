"""The seeded bilingual character corpus of the transformer-lm kata (numpy only at import).

A small grammar writes short stories about people, places and things: an English part and
a Chinese part, each of paragraphs built from templated sentences with varied vocabulary.
The text has real structure for a character model to learn (spelling, word order, agreement
of names within a paragraph, punctuation), and it ships as code: no download, the same text
for the same seed on every machine.

    text = corpus()                      # about 110,000 characters, about 160 KB as UTF-8
    train, heldout = split()             # held out: the last 10% of each part
    chars = vocabulary()                 # sorted distinct characters; ids are their indices
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nnquiz.grading.katalib.data import pick

HELDOUT_FRACTION = 0.10
EN_CHARS = 70_000  # the English part stops at the first paragraph end past this length
ZH_CHARS = 40_000  # the Chinese part likewise

EN_NAMES = (
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Emma",
    "Felix",
    "Grace",
    "Henry",
    "Iris",
    "Jack",
    "Kate",
    "Leo",
    "Maya",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Sam",
    "Tara",
    "Victor",
)
EN_PLACES = (
    "the market",
    "the river",
    "the old library",
    "the station",
    "the garden",
    "the harbour",
    "the school",
    "the bakery",
    "the hill",
    "the museum",
    "the forest",
    "the village square",
    "the bridge",
    "the kitchen",
)
EN_THINGS = (
    "a red kite",
    "a small boat",
    "an old map",
    "a loaf of bread",
    "a blue umbrella",
    "a wooden box",
    "a letter",
    "a silver key",
    "a basket of apples",
    "a new bicycle",
    "a lantern",
    "a green scarf",
    "a book of poems",
    "a clock",
    "a violin",
)
EN_ADJECTIVES = (
    "quiet",
    "bright",
    "cold",
    "busy",
    "warm",
    "windy",
    "calm",
    "crowded",
    "dark",
    "sunny",
    "empty",
    "noisy",
)
EN_TIMES = (
    "In the morning",
    "At noon",
    "In the evening",
    "On Monday",
    "On a rainy day",
    "Late at night",
    "After lunch",
    "Before dawn",
    "On Sunday",
    "Every summer",
)
EN_WEATHER = (
    "it was raining",
    "the sun was shining",
    "snow was falling",
    "the wind was strong",
    "the sky was grey",
    "the air was still",
)
EN_FEELINGS = ("happy", "tired", "surprised", "curious", "worried", "proud", "hungry", "calm")
EN_PAST_VERBS = (
    "found",
    "carried",
    "painted",
    "bought",
    "lost",
    "fixed",
    "opened",
    "sold",
    "borrowed",
    "hid",
)
EN_MOVES = ("walked to", "ran to", "went to", "hurried to", "came back to", "looked around")
EN_NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve")
EN_COUNTABLE = ("apples", "coins", "books", "birds", "stones", "letters", "cups", "boats")

ZH_NAMES = (
    "小明",
    "小红",
    "王老师",
    "李阿姨",
    "张先生",
    "刘奶奶",
    "陈医生",
    "小华",
    "赵叔叔",
    "周同学",
    "林小姐",
    "马师傅",
)
ZH_PLACES = (
    "公园",
    "图书馆",
    "火车站",
    "菜市场",
    "学校",
    "河边",
    "山上",
    "博物馆",
    "小镇",
    "厨房",
    "花园",
    "桥头",
)
ZH_THINGS = (
    "一本旧书",
    "一把雨伞",
    "一封信",
    "一篮苹果",
    "一辆自行车",
    "一张地图",
    "一盏灯",
    "一只风筝",
    "一把钥匙",
    "一条围巾",
    "一杯热茶",
    "一个木盒",
)
ZH_ADJECTIVES = ("安静", "热闹", "寒冷", "温暖", "明亮", "空荡荡", "拥挤", "干净")
ZH_TIMES = (
    "早上",
    "中午",
    "傍晚",
    "星期一",
    "下雨天",
    "深夜",
    "午饭后",
    "天亮前",
    "星期天",
    "每年夏天",
)
ZH_WEATHER = ("下着小雨", "阳光很好", "下起了雪", "风很大", "天空灰蒙蒙的", "没有一丝风")
ZH_FEELINGS = ("高兴", "累", "惊讶", "好奇", "担心", "自豪", "饿", "平静")
ZH_VERBS = (
    "找到了",
    "带走了",
    "画了",
    "买了",
    "丢了",
    "修好了",
    "打开了",
    "卖掉了",
    "借来了",
    "藏起了",
)
ZH_MOVES = ("走到", "跑到", "来到", "赶到", "回到")
ZH_NUMBERS = ("两", "三", "四", "五", "六", "七", "八", "九", "十")
ZH_COUNTABLE = (
    ("个", "苹果"),
    ("枚", "硬币"),
    ("本", "书"),
    ("只", "鸟"),
    ("块", "石头"),
    ("封", "信"),
    ("个", "杯子"),
    ("条", "船"),
)


def _english_sentence(rng: np.random.Generator, who: str, friend: str) -> str:
    kind = int(rng.integers(7))
    if kind == 0:
        return f"{pick(rng, EN_TIMES)}, {who} {pick(rng, EN_MOVES)} {pick(rng, EN_PLACES)}."
    if kind == 1:
        return (
            f"{who} {pick(rng, EN_PAST_VERBS)} {pick(rng, EN_THINGS)} near {pick(rng, EN_PLACES)}."
        )
    if kind == 2:
        place = pick(rng, EN_PLACES)
        return f"{place[0].upper()}{place[1:]} was {pick(rng, EN_ADJECTIVES)}, and {pick(rng, EN_WEATHER)}."
    if kind == 3:
        return f"{who} gave {friend} {pick(rng, EN_NUMBERS)} {pick(rng, EN_COUNTABLE)}."
    if kind == 4:
        return f"{who} felt {pick(rng, EN_FEELINGS)} because {friend} {pick(rng, EN_PAST_VERBS)} {pick(rng, EN_THINGS)}."
    if kind == 5:
        return f'"Where is {pick(rng, EN_THINGS)}?" asked {who}.'
    return f"{friend} and {who} {pick(rng, EN_MOVES)} {pick(rng, EN_PLACES)} together."


def _chinese_sentence(rng: np.random.Generator, who: str, friend: str) -> str:
    kind = int(rng.integers(7))
    if kind == 0:
        return f"{pick(rng, ZH_TIMES)}，{who}{pick(rng, ZH_MOVES)}{pick(rng, ZH_PLACES)}。"
    if kind == 1:
        return f"{who}在{pick(rng, ZH_PLACES)}{pick(rng, ZH_VERBS)}{pick(rng, ZH_THINGS)}。"
    if kind == 2:
        return f"{pick(rng, ZH_PLACES)}很{pick(rng, ZH_ADJECTIVES)}，外面{pick(rng, ZH_WEATHER)}。"
    if kind == 3:
        measure, noun = ZH_COUNTABLE[int(rng.integers(len(ZH_COUNTABLE)))]
        return f"{who}给了{friend}{pick(rng, ZH_NUMBERS)}{measure}{noun}。"
    if kind == 4:
        return f"{who}很{pick(rng, ZH_FEELINGS)}，因为{friend}{pick(rng, ZH_VERBS)}{pick(rng, ZH_THINGS)}。"
    if kind == 5:
        return f"“{pick(rng, ZH_THINGS)}在哪里？”{who}问。"
    return f"{friend}和{who}一起{pick(rng, ZH_MOVES)}{pick(rng, ZH_PLACES)}。"


def _part(rng: np.random.Generator, names: tuple, sentence, joiner: str, target: int) -> str:
    """Paragraphs of 3-7 sentences about two people, until the text passes `target` characters."""
    paragraphs: list[str] = []
    total = 0
    while total < target:
        pair = rng.choice(len(names), size=2, replace=False)
        who, friend = names[int(pair[0])], names[int(pair[1])]
        n = int(rng.integers(3, 8))
        paragraph = joiner.join(sentence(rng, who, friend) for _ in range(n))
        paragraphs.append(paragraph)
        total += len(paragraph) + 1
    return "\n".join(paragraphs) + "\n"


@lru_cache(maxsize=4)
def parts(seed: int = 0) -> tuple[str, str]:
    """(English part, Chinese part), each a run of whole paragraphs ending in a newline."""
    rng = np.random.default_rng(seed)
    english = _part(rng, EN_NAMES, _english_sentence, " ", EN_CHARS)
    chinese = _part(rng, ZH_NAMES, _chinese_sentence, "", ZH_CHARS)
    return english, chinese


def corpus(seed: int = 0) -> str:
    """The whole text: the English part, then the Chinese part."""
    english, chinese = parts(seed)
    return english + chinese


def split(seed: int = 0) -> tuple[str, str]:
    """(train, heldout): the held-out text is the last 10% of each part (English tail, then
    Chinese tail); the training text is the rest of each part, English first."""
    train, heldout = [], []
    for text in parts(seed):
        cut = round(len(text) * (1 - HELDOUT_FRACTION))
        train.append(text[:cut])
        heldout.append(text[cut:])
    return "".join(train), "".join(heldout)


def vocabulary(seed: int = 0) -> list[str]:
    """The sorted distinct characters of the whole corpus; a character's id is its index."""
    return sorted(set(corpus(seed)))


def encode(text: str, seed: int = 0) -> np.ndarray:
    """Character ids (int64) of `text` in the corpus vocabulary."""
    index = {c: i for i, c in enumerate(vocabulary(seed))}
    return np.array([index[c] for c in text], dtype=np.int64)


def decode(ids, seed: int = 0) -> str:
    """The text of character ids."""
    chars = vocabulary(seed)
    return "".join(chars[int(i)] for i in ids)
