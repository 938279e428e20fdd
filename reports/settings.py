"""Report settings: alert thresholds, hot-issue knobs and daily-report definitions, from one YAML file.

The city config (`workorders.config.CityConfig`) forbids unknown keys, so these settings live in their
own optional file (bundled default: ``reports/default_alerts.yaml``). The loader also accepts a city
config file that carries ``alerts:``/``hot_issues:``/``daily:`` sections, and ignores its other keys,
so a city can keep everything in one file once the city config admits these sections.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reports.alerts import AlertSettings
from reports.hot_issues import HotIssueSettings
from workorders.config import format_validation_errors, read_yaml_file
from workorders.errors import ConfigError

DEFAULT_SETTINGS_NAME = "default_alerts.yaml"
SECTIONS = ("alerts", "hot_issues", "daily")


class DailySettings(BaseModel):
    """Definitions behind the daily report's numbers (each is explained in the report's footnotes)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: an order counts as responded to when a department signed for it within this many hours of filing
    response_hours: float = Field(default=24.0, gt=0)
    #: a callback rating at or above this counts as satisfied (1–5 scale)
    satisfied_at_or_above: int = Field(default=4, ge=1, le=5)
    #: days (ending on the report day) over which returns are counted per department
    returns_window_days: int = Field(default=30, ge=1, le=366)
    #: days (ending on the report day) of orders searched for hot issues
    hot_issue_window_days: int = Field(default=7, ge=1, le=90)
    top_hot_issues: int = Field(default=10, ge=1, le=50)
    #: longest supervision list printed (the count is always complete)
    list_limit: int = Field(default=30, ge=1)
    #: sample orders shown per hot issue
    samples_per_issue: int = Field(default=3, ge=1, le=10)


class ReportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    alerts: AlertSettings = AlertSettings()
    hot_issues: HotIssueSettings = HotIssueSettings()
    daily: DailySettings = DailySettings()


def parse_report_settings(data: object, source: str = "<report settings>") -> ReportSettings:
    """Validate parsed YAML; raise `ConfigError` naming the bad key(s)."""
    if data is None:
        return ReportSettings()
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: report settings must be a mapping at the top level")
    sections = {k: v for k, v in data.items() if k in SECTIONS}
    if not sections and data:
        raise ConfigError(f"{source}: none of the sections {', '.join(SECTIONS)} found")
    try:
        return ReportSettings.model_validate(sections)
    except ValidationError as err:
        raise ConfigError(f"{source}: {format_validation_errors(err)}") from None


def load_report_settings(path: str | Path | None = None) -> ReportSettings:
    """Load report settings from `path`, or the bundled defaults when no path is given."""
    data, source = read_yaml_file(path, "reports", DEFAULT_SETTINGS_NAME, "report settings")
    return parse_report_settings(data, source)
