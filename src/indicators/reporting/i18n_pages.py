"""The words of the report page around the figures: the contents, the downloads, the workbook's
sheets and the headline boxes of the overview, the peer comparison and the data audit (merged
into :data:`.i18n.TEXT`)."""

from __future__ import annotations

PAGE_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "contents": "目录",
        "download.csv": "下载数据（CSV）",
        "download.chart_csv": "下载图表数据（CSV）",
        "download.workbook": "下载全部数据（Excel工作簿）",
        "download.title": "数据下载",
        "download.note": "报告中每个表格和图表的数据，与页面所示相同（精度、限定词、单位、来源编号）。",
        "sheet.report": "报告",
        "sheet.item": "项目",
        "sheet.value": "内容",
        "sheet.title": "标题",
        "sheet.generated": "生成时间",
        "sheet.note": "编号",
        "sheet.source_title": "标题",
        "sheet.publisher": "发布机构",
        "sheet.published": "发布日期",
        "sheet.address": "网址",
        "sheet.accessed": "访问日期",
        "sheet.reliability": "可靠性",
        "col.chart_year": "年份",
        "col.chart_series": "系列",
        "col.chart_value": "数值",
        "chart.low": "{label}（下限）",
        "chart.high": "{label}（上限）",
        "download.chart_sheet": "图表",
        "audit.col.sources": "来源数",
        "sheet.source_list": "来源清单",
        "audit.col.figures": "涉及数据条数",
        "peers.h.rank": (
            "{indicator}：{region}{period}为{figure} {cite}，在该年有数据的{n}个新区中居第{place}位{highest}"
        ),
        "peers.h.places": "{first}至{last}",
        "peers.h.highest": "；最高为{region}{figure} {cite}",
        "peers.h.highest_exact": "；确切数字中最高为{region}{figure} {cite}",
        "peers.h.highest_alone": "最高为{region}{figure} {cite}",
        "peers.h.highest_exact_alone": "确切数字中最高为{region}{figure} {cite}",
        "peers.h.top": "{indicator}：{highest}",
        "peers.h.other_year": (
            "{indicator}：{region}最新为{period}{figure} {cite}，不是参照年{year}，不参与排位{highest}"
        ),
        "peers.h.none": "{indicator}：{region}没有可比数据（{reason}）{highest}",
        "peers.h.coverage": (
            "参照年为{year}，{n}个新区有该年数据；{other}个新区以其他年份列出，{none}个新区没有可比数据。"
        ),
        "audit.h.kind": "{kind}{n}个",
        "audit.h.sources": "资料来源{n}个：{parts}。",
        "audit.h.disagreements": "{revisions}处修订，{conflicts}处来源之间不一致；两个数字及其公布日期均见下表。",
        "audit.h.derived": "{n}个推算数据，均列出公式，不参与趋势拟合。",
        "audit.h.qualifiers": "{n}个数据带限定词（约、超过、近、不少于等），按原文显示。",
        "audit.h.readings": "{n}个数据的解读存疑（时期、口径或指标为推断），标为“口径存疑”。",
        "overview.h.latest": "{indicator}：{period}为{figure} {cite}",
        "overview.h.latest_growth": "{indicator}：{period}为{figure}，增长{growth} {cite}",
        "overview.h.coverage": "{n}个指标有全年（或年末）数据，最新全年多为{frontier}年。",
        "overview.h.coverage_old": (
            "{n}个指标有全年（或年末）数据，最新全年多为{frontier}年；其中{old}个的最新数据在{year}年或更早，"
            "表中标为“较旧”。"
        ),
    },
    "en": {
        "contents": "Contents",
        "download.csv": "Data (CSV)",
        "download.chart_csv": "Chart data (CSV)",
        "download.workbook": "All data (Excel workbook)",
        "download.title": "Downloads",
        "download.note": (
            "The data of every table and chart in this report, as shown (precision, qualifiers, units, "
            "source note numbers)."
        ),
        "sheet.report": "Report",
        "sheet.item": "Item",
        "sheet.value": "Value",
        "sheet.title": "Title",
        "sheet.generated": "Generated",
        "sheet.note": "Note",
        "sheet.source_title": "Title",
        "sheet.publisher": "Publisher",
        "sheet.published": "Published",
        "sheet.address": "Address",
        "sheet.accessed": "Accessed",
        "sheet.reliability": "Reliability",
        "col.chart_year": "Year",
        "col.chart_series": "Series",
        "col.chart_value": "Value",
        "chart.low": "{label}, lower bound",
        "chart.high": "{label}, upper bound",
        "download.chart_sheet": "chart",
        "audit.col.sources": "Sources",
        "sheet.source_list": "Source list",
        "audit.col.figures": "Figures resting on them",
        "peers.h.rank": (
            "{indicator}: {region} {figure} in {period} {cite}, place {place} of the {n} new areas with a figure "
            "for that year{highest}"
        ),
        "peers.h.places": "{first} to {last}",
        "peers.h.highest": "; the highest: {region}, {figure} {cite}",
        "peers.h.highest_exact": "; the highest exact figure: {region}, {figure} {cite}",
        "peers.h.highest_alone": "the highest is {region}, {figure} {cite}",
        "peers.h.highest_exact_alone": "the highest exact figure is {region}, {figure} {cite}",
        "peers.h.top": "{indicator}: {highest}",
        "peers.h.other_year": (
            "{indicator}: {region}'s latest is {figure} in {period} {cite}, not the reference year {year}, so it "
            "is not ranked{highest}"
        ),
        "peers.h.none": "{indicator}: no comparable figure for {region} ({reason}){highest}",
        "peers.h.coverage": (
            "Reference year {year}: {n} new areas have a figure for it; {other} are shown with another year, "
            "{none} have no comparable figure."
        ),
        "audit.h.kind": "{n} ({kind})",
        "audit.h.sources": "{n} sources: {parts}.",
        "audit.h.disagreements": (
            "{revisions} revisions and {conflicts} disagreements between sources, both figures with their dates below."
        ),
        "audit.h.derived": "{n} derived figures, each with its formula; none is used to fit a trend.",
        "audit.h.qualifiers": "{n} figures carry a qualifier (about, more than, nearly, at least), shown as published.",
        "audit.h.readings": (
            "{n} figures whose reading of the source is doubtful (period, scope or measure inferred), "
            "marked “reading flagged”."
        ),
        "overview.h.latest": "{indicator}: {figure} in {period} {cite}",
        "overview.h.latest_growth": "{indicator}: {figure} in {period}, growth {growth} {cite}",
        "overview.h.coverage": "{n} indicators have full-year (or year-end) figures, the latest mostly for {frontier}.",
        "overview.h.coverage_old": (
            "{n} indicators have full-year (or year-end) figures, the latest mostly for {frontier}; for {old} of "
            "them the latest is from {year} or earlier, marked old in the table."
        ),
    },
}
