"""The record of the record: a hash-chained event log, who read what, retention, backups.

The tool holds personal data itself (rosters, pledges, certificates), so it answers the
questions the council asks of vendors: can the log be altered quietly (:mod:`.chain`,
:mod:`.verify`), who read the files (:mod:`.access`), when is the data erased and can
that be proven (:mod:`.retention`, :mod:`.purge`, :mod:`.certificate`), and what happens
when the disk dies (:mod:`.backup`). docs/records.md explains it for the secretariat.
"""
