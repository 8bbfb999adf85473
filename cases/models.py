"""Cases (工業合作個案): filing, review, execution and approval.

Models arrive with this app's issue."""
