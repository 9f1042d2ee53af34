"""indicators: curated economic indicators for the Qingdao West Coast New Area, with provenance.

The short public API::

    import indicators
    indicators.build()                          # validate data/raw/, rebuild data/processed/
    obs = indicators.load_observations("gdp", "wcna")
    targets = indicators.load_targets("wcna_green_action_2023_2025")
    indicators.get_indicator("gdp").name("zh")  # 地区生产总值
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
from .periods import Period
from .summary import TableSummary, table_summary

__all__ = [
    "BuildResult",
    "DataValidationError",
    "Indicator",
    "IndicatorsError",
    "ParameterError",
    "Period",
    "PeriodError",
    "Plan",
    "Problem",
    "Region",
    "TableSummary",
    "UnknownIndicatorError",
    "UnknownPlanError",
    "UnknownRegionError",
    "UnknownSourceError",
    "UnknownUnitError",
    "__version__",
    "build",
    "cite",
    "data_version",
    "get_indicator",
    "get_plan",
    "get_region",
    "load_observations",
    "load_table",
    "load_targets",
    "table_summary",
    "validate",
]
