"""Reporting: the daily report (日报), hot issues (热点问题) and surge alerts (未诉先办预警).

`reports.daily` builds and renders the daily report; `reports.hot_issues` clusters orders or imported
message sets into ranked hot issues; `reports.alerts` raises surge alerts from per-city thresholds;
`reports.cli` adds the `intake report` commands.
"""
