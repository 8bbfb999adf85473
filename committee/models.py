"""Committee meetings (推動小組會議), agendas, packets and minutes.

Models arrive with this app's issue."""
