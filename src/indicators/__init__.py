"""indicators: curated economic indicators for the Qingdao West Coast New Area, with provenance.

The short public API::

    import indicators
    indicators.build()                          # validate data/raw/, rebuild data/processed/
    obs = indicators.load_observations("gdp", "wcna")
    targets = indicators.load_targets("wcna_green_action_2023_2025")
    indicators.get_indicator("gdp").name("zh")  # 地区生产总值

    fit = indicators.trend("gdp", "wcna", to_year=2025)        # log-linear / ETS / CAGR line
    gap = indicators.target_gap("wcna_green_action_2023_2025", as_of="2024-12-31")
    gap.summary_frame()                                        # one row per target, worst first
"""

from .analysis.gap_result import TargetAssessment, TargetGapResult
from .analysis.gap_rules import level_gap
from .analysis.progress import ProgressResult, progress
from .analysis.series import AnnualSeries, annual_series, growth_table
from .analysis.target_gap import target_gap
from .analysis.transform import (
    average_annual_growth,
    cagr,
    contribution_to_growth,
    growth_from_levels,
    invert,
    levels_from_growth,
    share_of,
    transform,
)
from .analysis.trend import TrendResult, fit_trend, trend
from .analysis.ytd import CumulativeGrowthError, single_to_ytd, ytd_to_single
from .data.build import BuildResult, build, data_version, validate
from .data.catalog import (
    Indicator,
    Plan,
    Region,
    cite,
    get_indicator,
    get_plan,
    get_region,
    load_observations,
    load_table,
    load_targets,
)
from .data.periods import Period
from .data.summary import TableSummary, table_summary
from .errors import (
    DataValidationError,
    FigureError,
    GrowthError,
    ImportRejectedError,
    IndicatorsError,
    ParameterError,
    PeriodError,
    Problem,
    UnknownIndicatorError,
    UnknownPlanError,
    UnknownRegionError,
    UnknownSourceError,
    UnknownUnitError,
)
from .intake.export import ExportResult, export_data
from .intake.importer import ImportResult, import_files
from .intake.template import write_template
from .version import __version__

__all__ = [
    "AnnualSeries",
    "BuildResult",
    "CumulativeGrowthError",
    "DataValidationError",
    "ExportResult",
    "FigureError",
    "GrowthError",
    "ImportRejectedError",
    "ImportResult",
    "Indicator",
    "IndicatorsError",
    "ParameterError",
    "Period",
    "PeriodError",
    "Plan",
    "Problem",
    "ProgressResult",
    "Region",
    "TableSummary",
    "TargetAssessment",
    "TargetGapResult",
    "TrendResult",
    "UnknownIndicatorError",
    "UnknownPlanError",
    "UnknownRegionError",
    "UnknownSourceError",
    "UnknownUnitError",
    "__version__",
    "annual_series",
    "average_annual_growth",
    "build",
    "cagr",
    "cite",
    "contribution_to_growth",
    "data_version",
    "export_data",
    "fit_trend",
    "get_indicator",
    "get_plan",
    "get_region",
    "growth_from_levels",
    "growth_table",
    "import_files",
    "invert",
    "level_gap",
    "levels_from_growth",
    "load_observations",
    "load_table",
    "load_targets",
    "progress",
    "share_of",
    "single_to_ytd",
    "table_summary",
    "target_gap",
    "transform",
    "trend",
    "validate",
    "write_template",
    "ytd_to_single",
]
