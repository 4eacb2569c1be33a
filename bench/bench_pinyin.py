"""Time ``name_pinyin_keys`` over 100,000 generated names and print µs per name.

Run from the project root: ``.venv/bin/python bench/bench_pinyin.py`` (budget: ≤ 5 µs per name).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dangqun.core.pinyin import name_pinyin_keys  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈单解仇区查朴盖乐"
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "尉迟", "长孙", "慕容"]
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英晓荣华建国红梅玉兰海燕志强永辉俊杰子涵雨萱浩然欣怡思远"
MINORITY = ["阿依古丽·买买提", "热依拉·艾则孜", "次仁·多吉", "扎西·顿珠"]


def generate(count: int, seed: int = 2026) -> list[str]:
    rng = random.Random(seed)
    names = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.02:
            names.append(rng.choice(MINORITY))
        elif roll < 0.05:
            names.append(rng.choice(COMPOUND) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))))
        else:
            names.append(rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))))
    return names


def main(count: int = 100_000) -> None:
    names = generate(count)
    for name in names[:1000]:  # warm the per-character cache
        name_pinyin_keys(name)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for name in names:
            name_pinyin_keys(name)
        best = min(best, time.perf_counter() - started)
    print(f"{count} names, best of 3: {best:.3f} s total, {best / count * 1e6:.2f} µs per name")


if __name__ == "__main__":
    main()
