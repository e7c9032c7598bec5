"""Every ``GOALSTUDIO_*`` environment variable the studio reads or sets, named once.

Code reads ``os.environ.get(RECORDS_URL_ENV)`` rather than spelling the name, so a rename is
one edit and a typo is an import error. Widgets and grading use ``goalstudio.environment``
(the same module, re-exported by ``goalstudio``).
"""

from __future__ import annotations

# Learner's own studio
WORKSPACE_ENV = "GOALSTUDIO_WORKSPACE"  # the learner's course folder
RECORDS_URL_ENV = "GOALSTUDIO_RECORDS_URL"  # a shared records store (else the workspace file)
SCENARIOS_PATH_ENV = "GOALSTUDIO_SCENARIOS_PATH"  # trainers' extra scenario folders
OPEN_PATH_ENV = "GOALSTUDIO_OPEN_PATH"  # the page `goalstudio start` opens first
DEBUG_ENV = "GOALSTUDIO_DEBUG"  # "1": show the traceback behind a plain error message
FACILITATOR_ENV = "GOALSTUDIO_FACILITATOR"  # "1"/"true"/"yes": facilitator views in widgets

# Facilitator dashboards and the course on a hub
GRADEBOOK_ENV = "GOALSTUDIO_GRADEBOOK"  # the nbgrader course folder, for assignment scores
ROSTER_ENV = "GOALSTUDIO_ROSTER"  # a CSV of learners and groups
# A records file whose pages the dashboard server checked at start (JSON: path, size, time), so
# its kernels skip that check while the file is unchanged.
RECORDS_CHECKED_ENV = "GOALSTUDIO_RECORDS_CHECKED"
COURSE_ENV = "GOALSTUDIO_COURSE"  # the nbgrader course id in a hub's user server
ROLE_ENV = "GOALSTUDIO_ROLE"  # "facilitator" in a facilitator's hub server
# "1": the dashboard pages carry the studio's chart script (goalstudio dashboard's Voilà template)
CHART_SCRIPT_ENV = "GOALSTUDIO_CHART_SCRIPT"

# Records sent on to a learning record store
LRS_USERNAME_ENV = "GOALSTUDIO_LRS_USERNAME"
LRS_PASSWORD_ENV = "GOALSTUDIO_LRS_PASSWORD"

# The hub
HUB_ROOT_ENV = "GOALSTUDIO_HUB_ROOT"
HUB_COURSE_ENV = "GOALSTUDIO_HUB_COURSE"
HUB_FACILITATORS_ENV = "GOALSTUDIO_HUB_FACILITATORS"
HUB_RECORDS_ADMIN_URL_ENV = "GOALSTUDIO_HUB_RECORDS_ADMIN_URL"
HUB_RECORDS_KEY_ENV = "GOALSTUDIO_HUB_RECORDS_KEY"
HUB_IP_ENV = "GOALSTUDIO_HUB_IP"
HUB_PORT_ENV = "GOALSTUDIO_HUB_PORT"

# Grading (grading/_sandbox.py repeats these four: it runs as `python -S`, without the studio)
LEARNER_ENV = "GOALSTUDIO_LEARNER"  # the learner whose case a graded notebook uses
GRADER_ACCOUNT_ENV = "GOALSTUDIO_GRADER_ACCOUNT"  # the unprivileged account autograde runs as
KERNEL_ACCOUNT_ENV = "GOALSTUDIO_KERNEL_ACCOUNT"  # uid:gid a grading kernel drops to
GRADING_FOLDER_ENV = "GOALSTUDIO_GRADING_FOLDER"  # where one autograde run keeps its folders

# Development: tests and benchmarks
TEST_POSTGRES_URL_ENV = "GOALSTUDIO_TEST_POSTGRES_URL"  # a PostgreSQL to test against
UPDATE_SCREENSHOTS_ENV = "GOALSTUDIO_UPDATE_SCREENSHOTS"  # "1": browser tests refresh images
