"""Checked evidence in chat: rosters, pledges, certificates, events and the fiscal-year question.

The library (:mod:`duediligence.checks`) does the checking; these modules turn
its results into neutral replies and forms. Names from a roster go only to the
person who uploaded it (a private reply); everything shown to the secretariat
(review cards, details, App Home) carries counts and row numbers.

* :mod:`.summary`: what the checks found, as fields and findings (no names).
* :mod:`.uploads`: a roster or pledge file dropped in the DM, routed to its check.
* :mod:`.accept`: refusing Accept on an uncovered pledge item, and the override form.
* :mod:`.certificate`: the certificate form (number, latest renewal, expiry).
* :mod:`.events`: reporting an event (App Home button and form, or a DM phrase).
* :mod:`.fiscal`: the fiscal-year-end yes/no question.
* :mod:`.template`: the roster template file.
* :mod:`.dispatch`: which of these a button or form belongs to.

This file imports nothing, so :mod:`bot.core.uploads` can use :mod:`.summary`
without a cycle.
"""
