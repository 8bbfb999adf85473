"""Statistics, dashboards and reports (報告).

Models arrive with this app's issue."""
