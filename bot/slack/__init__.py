"""Slack, organised by surface: commands, events, actions, views (modals), home.

Each subpackage has ``register(app, deps)``; every callback acks first and is a
thin translation into the conversation core (:mod:`bot.core`).
"""
