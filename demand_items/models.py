"""Demand items (工合需求項目): call rounds, panel scoring and the catalogue.

Models arrive with this app's issue."""
