"""The logic behind the course's exercises, one public module each (no Jupyter here).

The widgets in ``goalstudio.widgets`` are thin views over these modules and import them by
their public names: ``chart`` (chart review and its one-page export), ``check`` (concept
checks), ``common`` (words the exercises share), ``conversation``, ``discovery``, ``exchange``,
``plan``, ``rating``, ``reply`` (a reply in the learner's own words), ``sort`` and ``spotter``.
"""
