"""Character classes, small lexicons and line-shape helpers shared by the splitter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.lexicon import STRUCTURE_FOLD

# ---------------------------------------------------------------------------------------------
# Character classes and small lexicons

SENTENCE_END = "。！？!?…"
CLOSERS = "”’」』）)》〉】\"'"
# A body paragraph whose last character (after closing quotes/brackets) is one of these is complete.
PARAGRAPH_END = SENTENCE_END + "；;"
BREAK_PUNCT = "，,、；;：:"  # a paragraph ending with these certainly continues
SPACE_RE = re.compile(r"[ \t\u3000\u00a0]+")
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
BULLETS = "■□●○◆◇▲△▼▽★☆◎※·•►▶"

RELATED_MARKERS = {
    "相关新闻", "相关报道", "相关阅读", "延伸阅读", "相关链接", "新闻链接", "链接", "背景链接",
    "相关新闻链接", "新闻背景", "背景资料",
}

# Words that open a verb-led clause (a slogan-like kicker or subtitle) rather than a subject-led
# title. Two-character verbs and adverbs, and prepositions.
CLAUSE_VERBS = set(
    """
    推动 推进 打造 坚持 促进 加强 加快 加大 助力 守护 搭建 注入 签署 共建 共护 聚焦 深化 提升 扎实 全力
    奋力 持续 着力 强化 筑牢 守住 擦亮 构建 建设 做好 抓好 落实 实现 开创 开启 迈向 书写 谱写 绘就 描绘
    引领 赋能 激发 激活 点燃 释放 培育 发展 优化 完善 服务 保障 确保 织密 筑起 跑出 按下 跑好 当好 争当
    争创 争做 勇当 再创 再上 再添 再掀 开展 举办 召开 启动 携手 凝聚 汇聚 共话 共谋 共绘 共享 共筑 共同
    同心 合力 齐心 喜迎 庆祝 迎接 欢度 致敬 传承 弘扬 践行 学习 贯彻 牢记 不忘 勇担 担当 守正 深入 全面
    切实 大力 积极 努力 坚决 坚定 对标 瞄准 紧盯 锚定 围绕 立足 聚力 发力 用好 管好 建好 办好 讲好 答好
    走好 走深 走实 走出 走进 走向 带动 带领 打通 打响 打好 破解 解决 化解 防范 防止 严防 严格 严厉 规范
    加速 提速 提质 增效 增强 壮大 扩大 拓展 拓宽 延伸 稳定 稳住 巩固 拓宽 鼓励 支持 帮助 引导 推广 探索
    创新 创建 创造 建立 建成 健全 形成 确立 树立 营造 让出 留住 吸引 助推 护航 保护 呵护 关爱 温暖 点亮
    照亮 守牢 兜牢 兜住 夯实 厚植 深耕 抢抓 抢占 抓住 把握 把好 绷紧 拧紧 压实 压紧 落细 落地 落好 展现
    展示 彰显 凸显 亮出 秀出 晒出 献礼 献策 建言 问计 问需 问效 倾听 回应 关注 直击 聚集 探访 走访 调研
    部署 动员 号召 呼吁 倡导 倡议 提倡 要求 强调 指出 表示 希望 期待 期盼 欢迎 感谢 祝贺 热烈 隆重 喜获
    荣获 获评 入选 获得 斩获 摘得 夺得 赢得 收获 迎来 送来 带来 送上 奉上 献上 开出 种下 播下 插上 架起
    铺就 铺开 拉开 吹响 敲响 奏响 唱响 擂响 亮剑 出击 出台 发布 公布 印发 出炉 上线 开通 开放 开工 开业
    """.split()
)
CLAUSE_PREPOSITIONS = set("为以在对向把从用将给让使就据由随经于靠凭趁当")
CLAUSE_PREPOSITION_WORDS = {"围绕", "针对", "关于", "通过", "借助", "依托", "按照", "根据", "随着", "作为", "面对", "面向"}

# A headline piece ending like this is a bare subject (an organisation or place) and continues.
SUBJECT_SUFFIXES = (
    "政府", "分行", "支行", "银行", "公司", "集团", "企业", "学校", "大学", "学院", "医院", "中心", "协会",
    "学会", "委员会", "党委", "党组", "工委", "管委会", "人大", "政协", "法院", "检察院", "公安", "部门",
    "街道", "社区", "村委", "局", "厅", "委", "办", "署", "站", "所", "省", "市", "县", "区", "镇", "乡", "村",
    "与", "和", "及", "同",
)


ORG_TOKEN_END = tuple("局委办监站所院部厅署队处科司会社馆团校社") + ("中心", "公司", "街道", "政府")

def fold(text: str) -> str:
    """Traditional -> Simplified for the structural characters only (app.lexicon.STRUCTURE_FOLD),
    one character to one, so match positions stay valid in the original text: only for
    recognising structure, the text itself is never changed."""
    return text.translate(STRUCTURE_FOLD)


# ---------------------------------------------------------------------------------------------
# Blocks


@dataclass
class Block:
    text: str  # the line, stripped
    kind: str = "body"  # body | dateline | byline | marker | candidate
    pieces: list[str] = field(default_factory=list)  # for candidates: whitespace-separated pieces
    indented: bool = False  # the source line began with indentation (a paragraph start)
    line: int = 0  # 1-based number of the line in the text given to the splitter
    why: str = ""  # a reason the line reading gave for its kind (for the trace)


def strip_bullets(text: str) -> str:
    return text.lstrip(BULLETS + " \t\u3000")


def text_core(text: str) -> str:
    """The text without trailing closing quotes/brackets and spaces."""
    return text.rstrip(CLOSERS + " \t\u3000")


def ends_with(text: str, chars: str) -> bool:
    """The text (without closing quotes and brackets) ends with one of ``chars``.

    Not ``text_core(text)[-1:] in chars``: for a line of only ``）`` that is ``"" in chars``, always
    true, and the lone bracket became an article's title."""
    core = text_core(text)
    return bool(core) and core[-1] in chars


def ends_sentence(text: str) -> bool:
    return ends_with(text, PARAGRAPH_END)
