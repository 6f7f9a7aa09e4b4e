"""Evidence that is checked, not just stored: rosters, pledges, certificates, triggers.

Each module is a set of plain functions taking a store or a tracker, the actor
and ``now``, and returning result dataclasses, so the CLI and any chat
transport call the same code:

* :mod:`.roster`: the roster template, reading xlsx/csv rosters, row checks, version diffs.
* :mod:`.pledges`: pledges per person of the current roster and their coverage.
* :mod:`.certificates`: recording a certificate renewal and flagging stale certificates.
* :mod:`.triggers`: conditions due after an event, and the fiscal-year-end question.

This package file imports nothing, so the store can use :mod:`.records` freely.
"""
