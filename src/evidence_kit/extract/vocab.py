"""The word lists extraction relies on, kept in one place so they can be maintained.

Add a word here and every extractor picks it up; nothing else needs to change. Longer words
are tried before shorter ones, so ``本期应还`` wins over ``应还`` at the same position.
"""

from __future__ import annotations

# Words that name what an amount is. The label reported is the word as written.
MONEY_LABELS: tuple[str, ...] = (
    # what is owed
    "应还",
    "应还款",
    "应还金额",
    "应还款额",
    "应还款金额",
    "应还总额",
    "应还本金",
    "应还利息",
    "本期应还",
    "本期应还金额",
    "每期应还",
    "剩余应还",
    "剩余应还金额",
    "最低还款",
    "最低还款额",
    "账单金额",
    "本期账单金额",
    "逾期金额",
    "逾期本金",
    "逾期本息",
    "本息",
    "逾期利息",
    "逾期总额",
    "逾期费用",
    "欠款",
    "欠款金额",
    "未还",
    "未还金额",
    "待还",
    "待还金额",
    "剩余本金",
    "月供",
    "分期金额",
    "还款金额",
    "还款额",
    "金额",
    "总额",
    "交易金额",
    # what it is made of
    "本金",
    "利息",
    "到手",
    "到账",
    "押金",
    "月租",
    "罚息",
    "复利",
    "滞纳金",
    "违约金",
    "服务费",
    "平台服务费",
    "信息服务费",
    "技术服务费",
    "担保费",
    "会员费",
    "权益费",
    "手续费",
    "分期手续费",
    "咨询费",
    "保险费",
    "保费",
    "管理费",
    "催收费",
    "总费用",
    "综合费用",
    # what was lent, paid or given back
    "借款金额",
    "借款本金",
    "贷款金额",
    "放款金额",
    "合同金额",
    "授信额度",
    "可用额度",
    "实际到账",
    "到账金额",
    "实际到账金额",
    "已还",
    "已还款",
    "已还金额",
    "还款",
    "减免",
    "已减免",
    "减免金额",
    "退款",
    "退还",
    "返还",
    "免除",
    "借款",
    "到手",
    "额度",
    "账单",
    "扣款",
    "自动扣款",
    "支出",
    "收入",
    "月收入",
    "余额",
    "转账",
    "付款",
    "房租",
    "担保服务费",
    # totals: they name an amount only when no other money word stands right before them
    "合计",
    "共计",
    "总计",
)

# Words that qualify a money word right after them and belong to the label as written:
# 逾期罚息, 已还本金, 实际到手, 最低应还, 本月应还.
LABEL_MODIFIERS: tuple[str, ...] = (
    "已还",
    "借款",
    "逾期",
    "已",
    "实际",
    "剩余",
    "最低",
    "本期",
    "当期",
    "每期",
    "首期",
    "本月",
    "每月",
    "累计",
    "总",
)
# Endings that complete a money word right after it: 本期应还款额, 最低还款额.
LABEL_ENDINGS: tuple[str, ...] = ("款额", "金额", "款", "额")

# Totals words: in 欠款金额共计3000元 the label is 欠款金额, in 利息及费用合计3000元 it is 合计.
WEAK_LABELS: tuple[str, ...] = ("合计", "共计", "总计")

# Verbs after which a bare number is money even without a label (先还500, 还了2000了).
MONEY_VERBS: tuple[str, ...] = ("还", "欠", "借", "付", "转", "赔", "交", "退", "收", "扣")

# When one of these stands earlier in the same clause it names the amount, even if an item
# word sits closer: 减免罚息及违约金共计1.2万元 is a waiver, not a penalty.
OVERRIDING_LABELS: tuple[str, ...] = ("减免", "已减免", "免除", "退款", "退还", "返还")

# Labels after which a number is a contract/order/loan reference, not an amount.
CONTRACT_LABELS: tuple[str, ...] = (
    "借款合同编号",
    "借款合同号",
    "合同编号",
    "合同号",
    "协议编号",
    "协议号",
    "订单编号",
    "订单号",
    "借据编号",
    "借据号",
    "借款编号",
    "贷款编号",
    "交易单号",
    "交易流水号",
    "流水号",
    "账单编号",
    "业务编号",
    "申请编号",
    "案件编号",
    "工单号",
    "投诉编号",
)

# Platform (app / product) names as written → the name reported.
PLATFORMS: dict[str, str] = {
    "分期乐": "分期乐",
    "来分期": "来分期",
    "借呗": "借呗",
    "蚂蚁借呗": "借呗",
    "花呗": "花呗",
    "蚂蚁花呗": "花呗",
    "微粒贷": "微粒贷",
    "京东金条": "京东金条",
    "金条": "京东金条",
    "京东白条": "京东白条",
    "白条": "京东白条",
    "美团借钱": "美团借钱",
    "美团生活费": "美团借钱",
    "美团月付": "美团月付",
    "360借条": "360借条",
    "360借款": "360借条",
    "奇富借条": "360借条",
    "安逸花": "安逸花",
    "马上消费金融": "安逸花",
    "招联": "招联",
    "招联金融": "招联",
    "好期贷": "招联",
    "度小满": "度小满",
    "有钱花": "度小满",
    "满易贷": "度小满",
    "拍拍贷": "拍拍贷",
    "信也科技": "拍拍贷",
    "宜人贷": "宜人贷",
    "你我贷": "你我贷",
    "省呗": "省呗",
    "还呗": "还呗",
    "小赢卡贷": "小赢卡贷",
    "洋钱罐": "洋钱罐",
    "平安普惠": "平安普惠",
    "微信分付": "分付",
    "分付": "分付",
    "抖音月付": "抖音月付",
    "放心借": "放心借",
    "网商贷": "网商贷",
    "携程拿去花": "拿去花",
    "拿去花": "拿去花",
    "唯品花": "唯品花",
    "苏宁任性付": "任性付",
    "任性付": "任性付",
    "榕树贷款": "榕树贷款",
    "桔多多": "桔多多",
    "众安贷": "众安贷",
    "中银消费": "中银消费",
    "捷信": "捷信",
    "数字尊享": "数字尊享",
}

# Endings of a company name; the name itself is read backwards from them.
COMPANY_SUFFIXES: tuple[str, ...] = (
    "银行股份有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "银行",
    "集团",
    "农村信用合作联社",
    "信用社",
)

# Characters that cannot be part of a company name read backwards from its suffix: the
# name starts after the last of them (我向|重庆度小满小额贷款有限公司).
COMPANY_STOP_CHARS = frozenset(
    "在向与和跟被对是的了从给由及为把将请您我你他她它们贵该此其这那于到去找打称说叫"
    "欠借还让催系就已未不要会能可以"
)

# Words before 银行 that make it a kind of banking, not a bank's name (网上银行, 发卡银行).
GENERIC_BANK_PREFIXES: tuple[str, ...] = (
    "网上",
    "手机",
    "个人",
    "电子",
    "商业",
    "各大",
    "其他",
    "合作",
    "发卡",
    "开户",
    "收款",
    "放款",
    "资金方",
    "所属",
    "对应",
    "绑定",
    "一家",
    "这家",
    "那家",
    "哪家",
    "任何",
)

# Words shortly before a number that make a 5-digit 95xxx/96xxx number a service hotline.
PHONE_CONTEXT: tuple[str, ...] = (
    "电话",
    "客服",
    "热线",
    "拨打",
    "致电",
    "来电",
    "号码",
    "联系",
    "回拨",
    "呼叫",
    "打",
    "Tel",
    "TEL",
    "tel",
)
