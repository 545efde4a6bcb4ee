"""Names: common surnames of 长治 and given-name characters by sex and generation."""

from __future__ import annotations

import random

from .common import pick

SURNAMES = (("王", 40), ("李", 40), ("张", 36), ("刘", 28), ("陈", 18), ("杨", 16), ("赵", 16), ("郭", 12),
            ("申", 8), ("牛", 7), ("郝", 8), ("武", 9), ("段", 6), ("秦", 6), ("崔", 6), ("史", 5), ("冯", 6),
            ("韩", 6), ("宋", 6), ("孙", 8), ("周", 8), ("吴", 6), ("徐", 6), ("马", 8), ("胡", 6), ("朱", 5),
            ("高", 8), ("田", 6), ("贾", 6), ("任", 5), ("梁", 5), ("程", 5), ("侯", 5), ("乔", 5), ("原", 3),
            ("栗", 3), ("暴", 2), ("常", 4), ("魏", 4), ("薛", 4), ("苗", 3), ("靳", 3), ("裴", 2), ("霍", 3),
            ("董", 5), ("范", 4), ("姚", 3), ("曹", 4), ("路", 3), ("连", 2), ("闫", 4), ("药", 1), ("茹", 1))
_MALE_OLD = "建国军伟强志明华平刚勇斌杰涛磊鹏宏文海东卫俊晓永新春林旭红兵忠德庆利民亮峰波辉飞"
_MALE_NEW = "浩宇晨博凯帅鑫睿泽轩铭昊杰磊鹏飞超健瑞航宁毅晟嘉一子天俊"
_FEMALE_OLD = "秀英丽娟芳艳敏静霞红玲燕萍慧春梅兰凤珍华霞琴云雪晓"
_FEMALE_NEW = "婷雪琳颖慧洁佳晶倩蕾璐瑶欣怡雯梦思雨涵萱悦琪妍诺"
ELDER_MALE = ("有福", "建民", "德胜", "文华", "永贵", "福生", "国华", "志明", "保全", "三虎", "学文", "来顺",
              "金山", "树林", "天才", "满仓", "世杰", "玉明", "长青", "根旺", "福林", "守仁", "宝山", "德明")
ELDER_FEMALE = ("秀兰", "桂英", "玉梅", "凤英", "翠兰", "秀珍", "玉兰", "桂香", "巧云", "爱莲", "金花",
                "素芳", "月娥", "改莲", "银花", "淑贞", "俊英", "彩霞", "兰英", "香莲", "粉兰", "秀梅")


def given_name(rng: random.Random, male: bool, modern: bool) -> str:
    pool = (_MALE_NEW if modern else _MALE_OLD) if male else (_FEMALE_NEW if modern else _FEMALE_OLD)
    if rng.random() < 0.3:
        return rng.choice(pool)
    a, b = rng.choice(pool), rng.choice(pool)
    while b == a:
        b = rng.choice(pool)
    return a + b


def surname(rng: random.Random) -> str:
    return pick(rng, SURNAMES)
