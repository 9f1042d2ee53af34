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

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("indicators")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

from .build import BuildResult, build, data_version, validate
from .catalog import (
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
from .export import ExportResult, export_data
from .importer import ImportResult, import_files
from .periods import Period
from .progress import ProgressResult, progress
from .series import AnnualSeries, annual_series, growth_table
from .summary import TableSummary, table_summary
from .target_gap import TargetAssessment, TargetGapResult, level_gap, target_gap
from .template import write_template
from .transform import (
    average_annual_growth,
    cagr,
    contribution_to_growth,
    growth_from_levels,
    invert,
    levels_from_growth,
    share_of,
    transform,
)
from .trend import TrendResult, fit_trend, trend
from .ytd import CumulativeGrowthError, single_to_ytd, ytd_to_single

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
