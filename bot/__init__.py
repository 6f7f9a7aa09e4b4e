"""The chat bot: one conversation core, several transports (Slack, console, Teams)."""
