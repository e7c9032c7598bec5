"""xAPI (Experience API 1.0.3) statements: building them from records and checking their shape.

One statement per attempt (verb *attempted*, with the score, the plan text as the response and
the review as a result extension), per completion (*completed*), per reflection (*commented*, the
reflection as the response), per self-rating (*answered*, the rating as a raw score from 1 to 5)
and per choice in a conversation (*responded*, the choice as a result extension). The learner is
an ``account`` actor on the studio's home page; a learner name that is an e-mail address leaves
as a pseudonym (``learner-`` and a hash), so no e-mail address leaves the studio. Statements set
no ``version`` (the LRS sets it, as xAPI 1.0.3 asks), and text holding a lone surrogate, which
cannot be UTF-8, carries U+FFFD in its place. Statement ids are the record ids, so a learning
record store (or ``goalstudio records import``) that sees the same statement twice keeps one.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

XAPI_VERSION = "1.0.3"
DEFAULT_HOME_PAGE = "https://github.com/goal-discovery-studio/goal-discovery-studio"
VERB_ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_COMMENTED = "http://adlnet.gov/expapi/verbs/commented"  # a reflection
VERB_ANSWERED = "http://adlnet.gov/expapi/verbs/answered"  # a self-rating
VERB_RESPONDED = "http://adlnet.gov/expapi/verbs/responded"  # a choice in a conversation
VERBS = {
    VERB_ATTEMPTED: "attempted",
    VERB_COMPLETED: "completed",
    VERB_COMMENTED: "commented",
    VERB_ANSWERED: "answered",
    VERB_RESPONDED: "responded",
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def account_name(learner: str) -> str:
    """The learner's name as it leaves the studio: unchanged, unless it is an e-mail address,
    which becomes a stable pseudonym (the same address always gives the same one)."""
    if _EMAIL.fullmatch(learner.strip()):
        digest = hashlib.sha256(learner.strip().casefold().encode("utf-8", "replace"))
        return f"learner-{digest.hexdigest()[:20]}"
    return learner


def clean(value: Any) -> Any:
    """The value with every lone surrogate in its text replaced by U+FFFD (valid UTF-8)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, Mapping):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/assessment"


def extension(home_page: str, name: str) -> str:
    return f"{home_page.rstrip('/')}/xapi/extensions/{name}"


def activity_iri(home_page: str, activity: str) -> str:
    return f"{home_page.rstrip('/')}/activities/{quote(activity, safe='')}"


def statement(
    *,
    record_id: str,
    verb: str,
    learner: str,
    activity: str,
    scenario: str,
    module: str,
    timestamp: str,
    home_page: str = DEFAULT_HOME_PAGE,
    result: dict[str, Any] | None = None,
    context: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    name = account_name(learner)
    stmt: dict[str, Any] = {
        "id": record_id,
        "actor": {
            "objectType": "Agent",
            "name": name,
            "account": {"homePage": home_page, "name": name},
        },
        "verb": {"id": verb, "display": {"en-US": VERBS[verb]}},
        "object": {
            "objectType": "Activity",
            "id": activity_iri(home_page, activity),
            "definition": {"name": {"en-US": activity}, "type": ACTIVITY_TYPE},
        },
        "context": {
            "platform": "Goal Discovery Studio",
            "extensions": {
                extension(home_page, "activity"): activity,
                extension(home_page, "scenario"): scenario,
                extension(home_page, "module"): module,
                **{extension(home_page, k): v for k, v in (context or {}).items()},
            },
        },
        "timestamp": timestamp,
    }
    if result is not None:
        stmt["result"] = result
    return dict(clean(stmt))


_ISO_8601 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$"
)
_DURATION = re.compile(r"^P(?:\d+(?:\.\d+)?[YMWD])*(?:T(?:\d+(?:\.\d+)?[HMS])+)?$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


def _is_iri(value: object) -> bool:
    if not isinstance(value, str) or not value or any(ch.isspace() for ch in value):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme) is not None


def is_web_address(value: object) -> bool:
    return _is_iri(value) and urlsplit(str(value)).scheme in ("http", "https")


def _is_timestamp(value: object) -> bool:
    if not isinstance(value, str) or not _ISO_8601.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _language_map(value: object, where: str, problems: list[str]) -> None:
    if not isinstance(value, Mapping) or not value:
        problems.append(f"{where} must be a language map such as {{'en-US': '...'}}")
        return
    for tag, text in value.items():
        if not isinstance(tag, str) or not _LANGUAGE_TAG.match(tag) or not isinstance(text, str):
            problems.append(f"{where} has an entry {tag!r} that is not language tag -> text")


def _check_actor(actor: object, problems: list[str]) -> None:
    if not isinstance(actor, Mapping):
        problems.append("actor must be an object")
        return
    if actor.get("objectType", "Agent") not in ("Agent", "Group"):
        problems.append("actor.objectType must be 'Agent' or 'Group'")
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
    if actor.get("objectType") == "Group" and not ifis:
        return  # an anonymous group is identified by its members
    if len(ifis) != 1:
        problems.append(
            "actor must carry exactly one identifier (mbox, mbox_sha1sum, openid or account); "
            f"found {len(ifis)}"
        )
        return
    kind = ifis[0]
    value = actor[kind]
    if kind == "mbox" and not (
        isinstance(value, str) and re.fullmatch(r"mailto:[^@\s]+@[^@\s]+", value)
    ):
        problems.append("actor.mbox must look like mailto:name@example.org")
    elif kind == "mbox_sha1sum" and not (
        isinstance(value, str) and re.fullmatch(r"[0-9a-f]{40}", value)
    ):
        problems.append("actor.mbox_sha1sum must be 40 lowercase hex digits")
    elif kind == "openid" and not _is_iri(value):
        problems.append("actor.openid must be a URI")
    elif kind == "account":
        if not isinstance(value, Mapping):
            problems.append("actor.account must be an object with homePage and name")
        else:
            if not is_web_address(value.get("homePage")):
                problems.append("actor.account.homePage must be an http(s) URL")
            if not isinstance(value.get("name"), str) or not value.get("name"):
                problems.append("actor.account.name must be non-empty text")
    if "name" in actor and not isinstance(actor["name"], str):
        problems.append("actor.name must be text")


def _check_result(result: object, problems: list[str]) -> None:
    if not isinstance(result, Mapping):
        problems.append("result must be an object")
        return
    allowed = {"score", "success", "completion", "response", "duration", "extensions"}
    for key in result:
        if key not in allowed:
            problems.append(f"result.{key} is not an xAPI result property")
    score = result.get("score")
    if score is not None:
        if not isinstance(score, Mapping):
            problems.append("result.score must be an object")
        else:
            numbers = {k: v for k, v in score.items() if k in ("scaled", "raw", "min", "max")}
            for key, value in score.items():
                if (
                    key not in numbers
                    or isinstance(value, bool)
                    or not isinstance(value, int | float)
                ):
                    problems.append(
                        f"result.score.{key} must be one of scaled/raw/min/max, a number"
                    )
            scaled = numbers.get("scaled")
            if isinstance(scaled, int | float) and not -1 <= scaled <= 1:
                problems.append("result.score.scaled must be between -1 and 1")
            low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
            if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
                problems.append("result.score.min must not exceed result.score.max")
            if isinstance(raw, int | float):
                if isinstance(low, int | float) and raw < low:
                    problems.append("result.score.raw is below result.score.min")
                if isinstance(high, int | float) and raw > high:
                    problems.append("result.score.raw is above result.score.max")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            problems.append(f"result.{key} must be true or false")
    if "response" in result and not isinstance(result["response"], str):
        problems.append("result.response must be text")
    if "duration" in result and not (
        isinstance(result["duration"], str) and _DURATION.match(result["duration"])
    ):
        problems.append("result.duration must be an ISO 8601 duration such as PT4M30S")
    _check_extensions(result.get("extensions"), "result.extensions", problems)


def _check_extensions(value: object, where: str, problems: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, Mapping):
        problems.append(f"{where} must be an object")
        return
    for key in value:
        if not _is_iri(key):
            problems.append(f"{where} key {key!r} must be an IRI")


def validate_statement(stmt: object) -> list[str]:
    """Problems with an xAPI statement's structure (empty when it is well formed)."""
    problems: list[str] = []
    if not isinstance(stmt, Mapping):
        return ["a statement must be a JSON object"]
    if "id" in stmt:
        try:
            uuid.UUID(str(stmt["id"]))
        except ValueError:
            problems.append("id must be a UUID")
    _check_actor(stmt.get("actor"), problems)
    verb = stmt.get("verb")
    if not isinstance(verb, Mapping) or not _is_iri(verb.get("id")):
        problems.append("verb.id must be an IRI")
    elif "display" in verb:
        _language_map(verb["display"], "verb.display", problems)
    else:
        problems.append("verb.display should name the verb, such as {'en-US': 'attempted'}")
    obj = stmt.get("object")
    if not isinstance(obj, Mapping):
        problems.append("object must be an object")
    elif obj.get("objectType", "Activity") == "Activity":
        if not _is_iri(obj.get("id")):
            problems.append("object.id must be an IRI")
        definition = obj.get("definition")
        if definition is not None:
            if not isinstance(definition, Mapping):
                problems.append("object.definition must be an object")
            else:
                if "name" in definition:
                    _language_map(definition["name"], "object.definition.name", problems)
                if "type" in definition and not _is_iri(definition["type"]):
                    problems.append("object.definition.type must be an IRI")
    if "result" in stmt:
        _check_result(stmt["result"], problems)
    context = stmt.get("context")
    if context is not None:
        if not isinstance(context, Mapping):
            problems.append("context must be an object")
        else:
            _check_extensions(context.get("extensions"), "context.extensions", problems)
    if "timestamp" in stmt and not _is_timestamp(stmt["timestamp"]):
        problems.append("timestamp must be an ISO 8601 date and time with a time zone")
    if "version" in stmt and not (
        isinstance(stmt["version"], str) and re.fullmatch(r"1\.0(\.\d+)?", stmt["version"])
    ):
        problems.append("version must be 1.0.x")
    return problems
