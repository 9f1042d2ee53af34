"""The reports' words in English (en): every label, heading and sentence template a report
prints, by key (:func:`indicators.reporting.i18n.t`). Figures are written by :mod:`.numbers`."""

TEXT = {
    "parameters": "Parameters",
    "param.indicator": "Indicator",
    "param.indicators": "Indicators",
    "param.region": "Region",
    "param.regions": "Regions",
    "param.plan": "Plan",
    "param.start_year": "First year",
    "param.end_year": "Last year",
    "param.horizon": "Years projected",
    "param.as_of": "Data as of",
    "param.language": "Language",
    "gap.count": "{label} {n}",
    "gap.short": "{amount} short",
    "gap.headline.without": "{n} more targets have no figure at all (listed under “Targets without any figure”).",
    "gap.headline.counts": "{n} targets (as of {as_of}): {counts}.",
    "gap.summary": (
        "{n} targets, assessed from the figures published by {as_of}. A target whose deadline has "
        "passed has a final verdict (achieved or missed), or awaits its outcome."
    ),
    "gap.none_assessed": "No target has a figure yet; see the figures they need at the end.",
    "gap.col.progress": "Completion / time elapsed",
    "gap.col.growth": "Growth required / observed",
    "gap.col.completion": "Completion",
    "gap.col.elapsed": "Time elapsed",
    "gap.col.gap": "Shortfall",
    "gap.progress": "{completion} / {elapsed}",
    "gap.growth": "{required} / {observed}",
    "gap.shortfall": "{amount} short ({share} of the change required)",
    "gap.comparator.at_least": "at least",
    "gap.comparator.at_most": "at most",
    "gap.comparator.equal": "",
    "gap.no_completion": "No target has a completion to show.",
    "gap.chart_caption": (
        "Bars: completion, coloured by the verdict; black line: share of the plan's time elapsed. "
        "Only targets with a completion are shown."
    ),
    "gap.chart.sources": "Sources of the figures drawn: {notes}",
    "gap.chart.observed": "published",
    "gap.chart.derived": "derived",
    "gap.chart.baseline": "baseline",
    "gap.chart.target": "target",
    "gap.chart.path": "path to the target",
    "gap.chart.projection": "trend projection",
    "gap.need.level": "needs the {name} of {region} for {year} (full year or year end)",
    "gap.need.growth": "needs the {name} growth of {region} in {year}",
    "gap.need.avg_annual_growth": (
        "needs the average annual {name} growth of {region} {base}-{year}, or each year's growth"
    ),
    "gap.need.cumulative": "needs the {name} of {region} for each year {span}",
    "gap.need.new_count": "needs the new {name} of {region} {span}",
    "gap.missing_title": "Targets without any figure",
    "gap.s.target.level": "Target: {goal} by {deadline}",
    "gap.s.target.growth": "Target: growth of {goal} in {year}",
    "gap.s.target.avg_annual_growth": "Target: average annual growth of {goal}, {base}-{year}",
    "gap.s.target.cumulative": "Target: a total of {goal}, {span}",
    "gap.s.target.new_count": "Target: {goal} new, {span}",
    "gap.s.sep": ". ",
    "gap.s.met_before_start": (
        "{label}: already {figure} in {period}, before the plan started (the target lay below the baseline)"
    ),
    "gap.s.achieved": "{label}: {figure} in {period}",
    "gap.s.missed": "{label}: {figure} in {period}, {gap}",
    "gap.s.awaiting": "{label}: the deadline has passed and the {year} outcome is not published yet",
    "gap.s.awaiting_with": (
        "{label}: the deadline has passed and the {year} outcome is not published yet; before, "
        "{figure} in {period}, assessed as '{before}'"
    ),
    "gap.s.insufficient": "{label}: {why}",
    "gap.s.progress": "{label}: {figure} in {period}",
    "gap.s.completion": ", {completion} complete with {elapsed} of the time elapsed",
    "gap.s.cagr": "; growth required {required} a year, observed {observed}",
    "gap.s.projection": " On the trend, {year} would reach {figure}",
    "gap.s.probability": ", a probability of about {p} of reaching the target",
    "gap.s.note": " ({note})",
    "gap.s.below_baseline": " (the target lay below the level when the plan started)",
    "auto": "auto",
    "headline": "Key points",
    "chart.published_level": "Published level",
    "chart.derived_level": "Derived level (hollow)",
    "chart.expected": "Official expectation",
    "chart.nowcast": "Year-to-date growth (not the full year)",
    "chart.change_pp": "Change on the year before (percentage points)",
    "chart.change_pp_axis": "Change (pp)",
    "trend.caption.fit": "{method}: on {n} published full-year levels, {first}-{last}",
    "trend.caption.markers": "solid: published; hollow: derived; diamond: official expectation",
    "trend.growth_caption": (
        "Published growth is the publisher's figure (for GDP usually at comparable prices); growth "
        "computed from the levels is nominal (current prices), so the two differ mainly by the price "
        "change."
    ),
    "trend.comparable": " (comparable prices)",
    "trend.from_preliminary": " (from a preliminary level)",
    "trend.col.change_pp": "Change on the year before",
    "trend.col.level": "Level ({unit})",
    "trend.col.growth": "Growth",
    "trend.average": "average annual growth ",
    "measure.avg_annual_growth": "average annual growth",
    "measure.share": "share",
    "measure.yoy_growth_short": "growth",
    "trend.s.no_series": "There is no annual series of {indicator} in {region}: {why}.",
    "trend.s.latest": "{indicator} in {region} was {figure} in {period}",
    "trend.s.change_pp": ", {change} on {year}",
    "trend.s.growth": ", up {growth}",
    "trend.s.end": ".",
    "overview.index_headline": "{n} indicators",
    "peers.index_headline": "reference year {year}, {n} areas",
    "audit.index_headline": "{n} revisions or disagreements",
    "trend.index_headline": "{period}: {level}, up {growth}",
    "trend.s.series_break": (
        "Series break: the {revised} level was revised to {a}, while {other} is still the earlier "
        "{b}; the two years are of different vintages, and growth between them is not computed from "
        "the levels."
    ),
    "trend.s.deflator_item": "{period} {deflator}",
    "trend.s.deflators": (
        "Published growth is real (at comparable prices); the difference from nominal growth "
        "computed from current-price levels is the price change, not a contradiction. Implied "
        "deflators: {items}."
    ),
    "trend.s.average_published": "Average annual growth {first}-{last}: {growth}.",
    "trend.s.average_computed": (
        "From the published full-year levels, average annual growth {first}-{last} was {growth}{basis}."
    ),
    "trend.s.nominal": " (current prices, nominal)",
    "trend.s.nowcast": "{period}{what}: {figure} (year to date, not the full year).",
    "trend.s.expectation": "The official expectation for {period}{what}: {figure}.",
    "trend.s.no_projection": "No projection: {why}.",
    "trend.s.projection_line": (
        "If the {first}-{last} average growth continued, {year} would reach {figure} "
        "(arithmetic only: no model, no interval)."
    ),
    "trend.s.projection": (
        "On the {method} ({n} published full-year levels), {year} would reach {figure}, {p}% "
        "prediction interval {low} to {high}."
    ),
    "trend.s.count": "{n} {status}",
    "trend.s.caveat_status": (
        "Note: the figures include {parts}; derived figures carry their formulas (see the data "
        "audit) and never enter the trend."
    ),
    "trend.s.revision": "Revision: {period} {what} was first published as {a}, then revised to {b}.",
    "trend.s.conflict": "Sources disagree: {period} {what} is {a} in one and {b} in another; both are kept.",
    "trend.s.deflator": (
        "The {period} growth of {real} is real (at comparable prices); the current-price levels grew "
        "{nominal} in nominal terms. The difference is the price change (implied deflator "
        "{deflator}), not a contradiction."
    ),
    "audit.col.title": "Title",
    "audit.col.publisher": "Publisher",
    "audit.col.date": "Published",
    "audit.col.earlier": "Published earlier",
    "audit.col.later": "Published later",
    "audit.col.nominal": "Nominal growth (current-price levels)",
    "audit.col.real": "Published growth (comparable prices)",
    "audit.col.deflator": "Implied price change",
    "audit.col.quote": "Quote",
    "audit.col.reading": "What is doubtful",
    "audit.col.note": "Curator's note",
    "audit.published_on": "published {date}",
    "audit.conflicts_caption": (
        "Revision: a figure published again with another value (the later is the newer vintage); "
        "conflict: two sources published different values the same day. Both are kept."
    ),
    "audit.deflators_caption": (
        "Growth at comparable prices and growth computed from current-price levels differ by the "
        "price change (nominal over real growth): not a contradiction. In brackets, the range the "
        "rounding of the figures allows."
    ),
    "audit.range": "({low} to {high})",
    "audit.recomputed": "{value} computed from the levels",
    "audit.derived_range": "the derivation allows {low} to {high}",
    "audit.formula.parent": "level of {region} ÷ its share = {a} ÷ {b}",
    "audit.formula.prior": "{period} level ÷ (1 + growth) = {a} ÷ (1 + {b})",
    "audit.formula.single": "{late} − {early} = {a} − {b}",
    "section.deflators": "Real growth against nominal levels: the implied price change",
    "section.mismatches": "Growth that disagrees with the levels",
    "section.readings": "Figures whose reading is doubtful",
    "reading.period_inferred": "period inferred",
    "reading.measure_inferred": "measure inferred",
    "reading.scope_assumed": "scope assumed",
    "reading.range_lower_bound": "lower bound of a range",
    "reading.indicator_inferred": "indicator inferred",
    "reading.kind_inferred": "kind inferred",
    "reading.summary": "the quote is a summary, not the source's words",
    "reading.source_inferred": "source inferred",
    "reading.unit_corrected": "unit corrected",
    "reading.form_inferred": "form inferred",
    "overview.col.latest_year": "Latest full year",
    "overview.col.change": "Growth or change",
    "overview.col.year_to_date": "Latest year-to-date since",
    "overview.caption": (
        "'Latest full year' is the latest whole year (for stocks the year end or latest date); "
        "figures {years} or more years older than the region's newest year are marked 'old'."
    ),
    "overview.old": "old",
    "overview.growth_word": "growth",
    "overview.vs": "on {year}",
    "overview.comparable": " (comparable prices)",
    "overview.coverage_legend": ("● a full-year or year-end level; ○ only part-year, growth, share or other figures"),
    "overview.parent_caption": (
        "Published figures; where no share was published it is computed from the two published "
        "levels of the same year and price basis, marked 'derived'."
    ),
    "param.measure": "Measure",
    "measure.level": "level",
    "measure.yoy_growth": "year-on-year growth",
    "peers.growth_of": "{indicator} growth",
    "peers.reason.none": "the table holds no {measure} figure for this area",
    "peers.reason.other": "no published full-year figure; the latest in the table is {figure} for {period}{what}",
    "peers.comparable_volume": " (a prior year's volume at comparable prices, not a current-price level)",
    "peers.col.figure": "Figure ({unit})",
    "peers.not_reference": " (not the reference year)",
    "peers.caption": (
        "Reference year {year} (the latest year most areas published); an area without a figure for it "
        "shows its nearest year, marked. Figures of different scope (whole area, directly administered) "
        "are not strictly comparable."
    ),
    "peers.chart_caption": (
        "Reference year {year}; other years in brackets. An arrow marks 'more than', hatching 'less than'."
    ),
    "peers.without": "Areas without a comparable figure",
    "title_not_recorded": "(title not recorded)",
    "back_to_text": "back to the text",
    "data_version": "Data version",
    "generated": "Generated",
    "package": "Package version",
    "sources": "Sources",
    "accessed": "accessed",
    "reliability.official": "publisher's own page",
    "reliability.official_repost": "official text reposted",
    "reliability.secondary": "secondary write-up",
    "trend.title": "{indicator}: trend report for {region}",
    "gap.title": "Target-gap report: {scope}",
    "gap.all": "all plans",
    "overview.title": "Indicator overview: {region}",
    "peers.title": "National-level new areas compared: {indicator}",
    "audit.title": "Data audit",
    "section.chart": "Levels, trend and projection",
    "section.growth": "Growth",
    "section.share": "Share of the parent region",
    "section.values": "The figures",
    "section.commentary": "What the numbers say",
    "section.summary": "Summary",
    "section.targets": "Targets",
    "section.gap_chart": "Progress at a glance",
    "section.details": "Target by target",
    "section.latest": "Latest value of every indicator",
    "section.coverage": "Coverage",
    "section.parent": "Against the parent region",
    "section.peers": "New areas compared",
    "section.reliability": "Sources by reliability",
    "section.conflicts": "Disagreements between sources",
    "section.derived": "Derived figures and their formulas",
    "section.qualifiers": "Figures with qualifiers (about, more than, nearly, at least)",
    "col.period": "Period",
    "col.value": "Value",
    "col.unit": "Unit",
    "col.status": "Status",
    "col.source": "Source",
    "col.year": "Year",
    "col.published": "Published growth",
    "col.recomputed": "Recomputed from levels",
    "col.difference": "Difference (pp)",
    "col.share": "Share",
    "col.of": "Of",
    "col.target": "Target",
    "col.category": "Assessment",
    "col.schedule": "Against schedule",
    "col.baseline": "Baseline",
    "col.latest": "Latest",
    "col.deadline": "Deadline",
    "col.completion": "Completion",
    "col.elapsed": "Time elapsed",
    "col.cagr_required": "Required CAGR",
    "col.cagr_observed": "Observed CAGR",
    "col.ratio": "R",
    "col.projected": "Projected (interval)",
    "col.probability": "Probability",
    "col.indicator": "Indicator",
    "col.change": "Change",
    "col.sparkline": "Trend",
    "col.region": "Region",
    "col.scope": "Scope",
    "col.count": "Count",
    "col.kind": "Kind",
    "col.message": "Details",
    "col.formula": "Formula",
    "col.qualifier": "Qualifier",
    "col.reason": "Reason",
    "scope.whole": "whole area",
    "scope.directly_administered": "directly administered",
    "status.reported": "reported",
    "status.preliminary": "preliminary",
    "status.estimate": "estimate",
    "status.derived": "derived",
    "qualifier.exact": "",
    "qualifier.about": "about",
    "qualifier.more_than": "more than",
    "qualifier.nearly": "nearly",
    "qualifier.at_least": "at least",
    "qualifier.less_than": "less than",
    "qualifier.at_most": "at most",
    "chart.level": "Level",
    "chart.fitted": "Fitted trend",
    "chart.projection": "Projection",
    "chart.interval": "{p}% prediction interval",
    "chart.growth": "Year-on-year growth (%)",
    "chart.published_growth": "Published growth",
    "chart.recomputed_growth": "Recomputed from levels",
    "chart.completion": "Completion",
    "chart.elapsed": "Time elapsed",
    "chart.no_data": "insufficient data",
    "none": "none",
    "kind.conflict": "conflict",
    "kind.revision": "revision",
    "kind.growth_mismatch": "growth vs levels",
    "kind.implied_deflator": "implied deflator (nominal vs real growth)",
    "kind.derived_mismatch": "derived vs published",
}
