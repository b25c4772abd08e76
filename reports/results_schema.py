"""The results schema, reports/results_schema.json, as field checkers.

The JSON file is the one source of every object's fields, their types and
the values they may hold (docs/results-schema.md is checked against it by
results_schema_test). fields() turns one object's entry into a dict of
checkers for check(); json_report.py adds the rules across fields.
A checker returns None when the value is right, else the reason.
"""

import json
import os
import re

from reports import outcome

SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "results_schema.json")

with open(SCHEMA_FILE, encoding="utf-8") as _f:
    SCHEMA = json.load(_f)

RESULT_SCHEMA = SCHEMA["schemas"]["result"]
RUN_SCHEMA = SCHEMA["schemas"]["run"]
RECORD_SCHEMA = SCHEMA["schemas"]["record"]
SELECTION_SCHEMA = SCHEMA["schemas"]["selection"]
SERVING_SCHEMA = SCHEMA["schemas"]["serving"]
OBJECTS = SCHEMA["objects"]


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check(obj, path, fields, errors):
    """Checks that `obj` is an object whose fields pass their checkers,
    appending "PATH: reason." strings to `errors`; False if it is no
    object at all."""
    if not isinstance(obj, dict):
        errors.append("%s: must be an object." % path)
        return False
    for name, checker in fields.items():
        if name not in obj:
            errors.append("%s: the field '%s' is missing." % (path, name))
            continue
        reason = checker(obj[name])
        if reason:
            errors.append("%s.%s: %s." % (path, name, reason))
    return True


def one_of(*choices):
    def checker(value):
        if value in choices:
            return None
        return "is %s, not one of %s" % (json.dumps(value), ", ".join(choices))
    return checker


def _string(value):
    return None if isinstance(value, str) else "must be a string"


def _number(value):
    return None if is_number(value) else "must be a number"


def _integer(value):
    return None if is_int(value) else "must be an integer"


def _strings(value):
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    return "must be an array of strings"


def _array(value):
    return None if isinstance(value, list) else "must be an array"


def _object(value):
    return None if isinstance(value, dict) else "must be an object"


def _boolean(value):
    return None if isinstance(value, bool) else "must be true or false"


_RULE_ID = re.compile(r"[^/\s]+/\S+\Z")


def rule(value):
    """A rule id ("rfc5321/3.3-rcpt-needs-mail") or ""."""
    if not isinstance(value, str):
        return "must be a string"
    if value and not _RULE_ID.match(value):
        return ("is %s, not a rule id like \"rfc5321/3.3-rcpt-needs-mail\" "
                "or \"\"" % json.dumps(value))
    return None


def _rules(value):
    if not isinstance(value, list):
        return "must be an array of rule ids"
    for item in value:
        reason = rule(item)
        if reason:
            return "holds a value that " + reason
        if not item:
            return "holds an empty rule id"
    return None


def _seen_in(value):
    if not (isinstance(value, list) and value and
            all(isinstance(v, str) for v in value)):
        return "must be a non-empty array of scenario ids"
    if value != sorted(set(value)):
        return "must be sorted, each scenario once"
    return None


def _count(value):
    if is_int(value) and value >= 1:
        return None
    return "must be an integer of at least 1"


# The checks a `format` names.
_FORMATS = {"rule-id": rule, "rule-ids": _rules, "seen-in": _seen_in,
            "count": _count}
_TYPES = {"string": _string, "number": _number, "integer": _integer,
          "boolean": _boolean, "object": _object, "array": _array}
# The lists that `values` may name instead of giving them.
_NAMED_VALUES = {
    "verdicts": outcome.VERDICTS,
    "incidental-verdicts": tuple(sorted(set(
        outcome.INCIDENTAL_VERDICTS.values()))),
}


def values(field):
    """The strings `field` may hold, or None when any string will do."""
    given = field.get("values")
    return _NAMED_VALUES[given] if isinstance(given, str) else given


def _checker(field):
    if "format" in field:
        return _FORMATS[field["format"]]
    if values(field) is not None:
        return one_of(*values(field))
    if field["type"] == "array" and field.get("items") == "string":
        return _strings
    return _TYPES[field["type"]]


def fields(name, skip=()):
    """{field: checker} of the required fields of the object `name`, but
    those in `skip` (which the caller checks as objects of their own)."""
    return {f["name"]: _checker(f) for f in OBJECTS[name]
            if not f.get("optional") and f["name"] not in skip}
