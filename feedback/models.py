"""Feedback fees (回饋金): rates, bills and payments.

Models arrive with this app's issue."""
