"""The course tooling: what the studio does with the course folder (``course/``, data only).

- ``manifest``: the course manifest, a learner's course settings and progress.
- ``release``: lint a course and build the learner release (plain JSON, no Jupyter).
- ``workspace``: copy the course into a learner's workspace, keeping their edits.
- ``agenda``: agendas, ready programmes and run sheets for ``goalstudio workshop plan``.
"""
