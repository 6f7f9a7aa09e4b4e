"""Registering a meeting's conditions without writing YAML: the workbook, export, amendments.

- :mod:`.layout`: the workbook's sheets and columns (会議, 所管課, 諮問, 委託先, 付帯条件).
- :mod:`.write`: writes the blank template (with an example row per sheet) or an export.
- :mod:`.read`: reads a filled workbook into the importer's checks, naming cells in errors.
- :mod:`.export`: one imported meeting back as the registration it is (YAML or xlsx).
"""
