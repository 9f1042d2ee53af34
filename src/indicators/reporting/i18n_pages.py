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
    },
}
