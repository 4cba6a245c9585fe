"""Chinese-text knowledge shared by the splitter, the recogniser and search (Qt-free, nothing
read from disk): surnames, the two kinds of role words, place and organisation endings, known
places and persons, date patterns, the Traditional-to-Simplified fold of structural characters.

Kept as plain Python so importing is cheap. Two lists here look alike and mean different things:
``TITLES_BEFORE_NAME`` (a title in running text, 区委书记夏加伟) and ``CREDIT_ROLES`` (a role in a
byline, 记者/陈婵); ``SINGLE_SURNAMES`` (all the recogniser knows, a CRF feature) and
``COMMON_SURNAMES`` (the commoner ones, for credit lines).
"""

from __future__ import annotations

import re

# Single-character surnames: the common Han surnames plus the Cantonese/Lingnan ones that matter
# for local news in Guangdong (区 ōu, 冼, 邝, 麦, 岑, 湛, 谭 ...).
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯 长孙 宇文 澹台 西门 端木 独孤 南宫 呼延 万俟 轩辕 钟离 闻人 申屠 公冶 太史 濮阳 淳于 单于 赫连 百里 东郭 拓跋".split()
)

# The commoner surnames (and the compound ones), for telling a person from a unit in a credit line
# ("陈晖 区市监"), where a wrong name costs more than a missed one. Not a subset of SINGLE_SURNAMES:
# 丘 习 招 暴 洪 钮 韶 are here only (adding them there changes the CRF's features: retrain first).
COMMON_SURNAMES = frozenset(
    """
    王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁
    潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦
    邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 区 欧 甘 关 伍 麦 邝 谭
    温 柯 翁 洪 卓 容 简 劳 岑 冼 植 缪 阮 游 涂 钟 凌 符 詹 利 练 骆 庞 颜 倪 施 牛 殷 常 俞 易 祝 包 左 单 齐
    季 葛 申 纪 聂 耿 辛 管 鲁 尚 池 车 文 蓝 艾 米 牟 邢 钮 房 裴 路 焦 童 滕 景 樊 梅 丛 岳 戚 解 应 宗 丘
    宁 仇 栾 暴 甄 晏 瞿 闻 苗 查 商 安 田 华 连 党 屈 项 祁 毕 郎 邬 饶 冉 荣 霍 桂 储 虞 鄢 谈 佟 习 胥 隋
    巫 迟 原 乔 卜 孔 韶 招 司 上官 欧阳 司马 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 夏侯 端木 司徒 南宫
    """.split()
)

# Characters that usually end a Chinese place name.
PLACE_SUFFIX_CHARS = frozenset("省市县区镇乡村州盟旗岛湾港洲河江湖山峰岭峡谷海洋道路街巷坊里屯寨庄堡")
# Multi-character place endings the rules trust (administrative divisions).
ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "街道", "社区", "新区", "高新区", "开发区", "省", "市", "县", "区", "镇", "乡", "村")

# Organisation endings, longest first so the rules prefer the longest.
ORG_SUFFIXES = tuple(
    sorted(
        """股份有限公司 有限责任公司 有限公司 集团公司 集团 公司 分公司 分行 支行 银行 联合实验室 重点实验室 实验室 研究院 研究所 研究中心 中心
        委员会 常委会 工作委员会 管委会 管理委员会 人大常委会 政协 党委 党工委 纪委 监委 政府 人民政府 办公室 办公厅 办事处 法院 检察院 公安局 派出所
        局 厅 署 处 委 部 院 所 站 队 馆 台 社 报社 电视台 出版社 协会 学会 商会 联合会 联谊会 同乡会 基金会 促进会 研究会 工会 妇联 团委
        大学 学院 中学 小学 学校 幼儿园 医院 卫生院 合作社 工作室 事务所 俱乐部 博物馆 图书馆 科技园 产业园 孵化器 厂 店 场 剧团 乐团""".split(),
        key=len,
        reverse=True,
    )
)
ORG_SUFFIX_SET = frozenset(ORG_SUFFIXES)

# ---------------------------------------------------------------- roles: two different lists
# Titles and roles that come right before a person's name in running text ("区委书记夏加伟",
# "总经理李志发", "记者陈婵"), longest first. The recogniser's rules and CRF features use them; a
# person span ending in one is a title, not a name (区领导).
TITLES_BEFORE_NAME = tuple(
    sorted(
        """书记 副书记 区委书记 市委书记 县委书记 省委书记 党委书记 党工委书记 支部书记 总书记 区长 副区长 市长 副市长 县长 副县长 省长 副省长 镇长 副镇长
        乡长 村长 主任 副主任 常务副主任 主席 副主席 委员 常委 部长 副部长 局长 副局长 处长 副处长 科长 厅长 副厅长 秘书长 副秘书长 司长 署长 总理 副总理 总统 副总统 首相 大使 领事
        总经理 副总经理 常务副总经理 董事长 副董事长 董事 总裁 副总裁 经理 厂长 行长 副行长 院长 副院长 校长 副校长 所长 副所长 站长 队长 主编 总编 社长 会长 副会长
        理事 常务理事 理事长 教授 副教授 研究员 博士 医生 院士 老师 教练 专家 负责人 创始人 总监 律师 记者 通讯员 民警 警官 法官 检察官 村民 市民 居民 师傅 同志 领导 区领导 市领导 县领导""".split(),
        key=len,
        reverse=True,
    )
)

# Credit roles of bylines and photo credits ("记者/陈婵", "文/图 何榕", "本报通讯员 林瑞蓬", "摄影"),
# stripped off a credit token to leave the name. Where one role starts another the longer comes
# first (本报记者 before 记者, 文/图 before 文): the first that matches is taken.
CREDIT_ROLES = (
    "文/图", "图/文", "文图", "本报记者", "本报通讯员", "特约记者", "特派记者", "见习记者", "实习记者", "首席记者",
    "本报评论员", "特约评论员", "评论员",
    "实习生", "通讯员", "记者", "摄影", "摄像", "视频", "图片", "编辑", "校对", "撰文", "制图", "整理",
    "作者", "文", "图",
)
# The people's roles among them that name a reporter in a dateline's credits without brackets
# ("南方日报讯 记者/张三 通讯员/李四 10月31日，"), longest variant of each first.
REPORTER_ROLES = ("本报记者", "特约记者", "见习记者", "实习记者", "首席记者", "特约通讯员", "通讯员", "实习生", "记者")

# Names of places the page and Guangdong local news use often; seeds the gazetteer feature.
KNOWN_PLACES = """中国 北京 上海 天津 重庆 广东 广西 湖南 湖北 河南 河北 山东 山西 陕西 甘肃 青海 宁夏 新疆 西藏 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 四川 贵州 云南 海南 台湾 香港 澳门
广州 深圳 珠海 佛山 东莞 中山 江门 惠州 汕头 湛江 茂名 肇庆 清远 韶关 河源 梅州 汕尾 阳江 揭阳 潮州 云浮 南宁 崇左 柳州 桂林 梧州 北海 玉林 百色 钦州 贵港 防城港 河池 来宾 贺州
蓬江 江海 新会 台山 开平 鹤山 恩平 外海 礼乐 大新 粤港澳大湾区 大湾区 珠三角 粤 桂 港澳 华南 华北 东北 西北 西南 华东 华中 长三角
美国 英国 法国 德国 日本 韩国 俄罗斯 印度 加拿大 澳大利亚 新加坡 马来西亚 泰国 越南 意大利 西班牙 巴西 欧洲 亚洲 非洲 美洲 东南亚 中东""".split()

# National leaders since the training data (1998) was written; matched directly by a rule.
KNOWN_PERSONS = """习近平 赵乐际 王沪宁 蔡奇 丁薛祥 李克强 栗战书 韩正 王岐山 胡锦涛 温家宝 吴邦国 贾庆林 习仲勋 彭丽媛 胡春华""".split()


# ---------------------------------------------------------------- dates
MONTH_DIGITS = r"1[0-2]|0?[1-9]"
DAY_DIGITS = r"3[01]|[12]\d|0?[1-9]"
CN_DIGITS = "零〇一二两三四五六七八九"

# A day's date in digits, [YYYY年]M月D日, with groups year (or None), month and day: the date of
# an article (its dateline, the page header).
NUMERIC_DATE_RE = re.compile(
    rf"(?:(?P<year>(?:19|20)\d{{2}})\s*年\s*)?(?P<month>{MONTH_DIGITS})\s*月\s*(?P<day>{DAY_DIGITS})\s*日"
)

_YEAR = rf"(?:(?<![\d.])\d{{4}}|[{CN_DIGITS}]{{4}}|(?:今|去|明|前|后|当|同|本|上)年)"
_MONTH = rf"(?:(?<![\d.])(?:{MONTH_DIGITS})|十[一二]?|[一二三四五六七八九])月"
_DAY = rf"(?:(?:{DAY_DIGITS})|(?:[一二]?十[一二三四五六七八九]?|三十[一]?|[一二三四五六七八九]))[日号]"
_YEAR_TAIL = r"(?:上半年|下半年|年初|年底|年末|年中|初|底)"
# Any date expression in running text, in digits or Chinese numerals (2023年, 今年7月, 十月一日,
# 10月31日, 上半年, 7月份, 31日): the recogniser's DATE spans (rules.date_spans drops a bare
# 4-digit year). It starts with a lookahead for its possible first characters: the regex engine
# can then reject most positions at once instead of trying every alternative (and lookbehind)
# there; the matches are the same, the search several times faster.
DATE_EXPRESSION_RE = re.compile(
    rf"(?=[\d{CN_DIGITS}十今去明前后当同本上])"
    rf"(?:{_YEAR}年?(?:{_MONTH}(?:{_DAY}|份|上旬|中旬|下旬|初|底)?|{_YEAR_TAIL})?"
    rf"|{_MONTH}(?:{_DAY}|份|上旬|中旬|下旬|初|底)?"
    rf"|(?<![\d.月])(?:{DAY_DIGITS})日(?!本|报|益|常|前|后|夜|子))"
)


# ---------------------------------------------------------------- folding for structure
# Traditional forms of the characters the splitter's patterns look for (agencies, roles, markers,
# surnames), folded one character to one character so that match positions stay valid in the
# original text. Only for recognising structure: the text itself is never changed. (鄘 is a
# character of its own, not the Traditional 邝, which is 鄺.)
_TRAD = "報訊電網記員臺區劉陳黃張楊趙吳孫馬羅鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸賈韋鄒龍賀顧龔萬錢嚴湯歐關麥鄺閆溫聶齊餘於圖攝輯編責鏈閱聞導"
_SIMP = "报讯电网记员台区刘陈黄张杨赵吴孙马罗郑谢许韩冯邓萧叶苏吕卢钟谭陆贾韦邹龙贺顾龚万钱严汤欧关麦邝闫温聂齐余于图摄辑编责链阅闻导"
STRUCTURE_FOLD = str.maketrans(_TRAD, _SIMP)
