"""Agreements (工業合作協議書), the credit ledger and balances.

Models arrive with this app's issue."""
