# nbgrader settings baked into the single-user image (deploy/kubernetes/Dockerfile).
# The exchange is a ReadWriteMany volume mounted at /srv/nbgrader/exchange in every pod;
# each learner runs as their own uid, so nbgrader's file permissions keep submissions apart.
import os

from goalstudio import environment

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ.get(environment.COURSE_ENV, "workshop")
c.Exchange.root = "/srv/nbgrader/exchange"
# Learners submit and fetch feedback under their hub name; facilitators keep '*' (everyone).
if os.environ.get(environment.ROLE_ENV) != "facilitator":
    c.CourseDirectory.student_id = os.environ.get("JUPYTERHUB_USER", "*")
