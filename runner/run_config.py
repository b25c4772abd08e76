"""The run configuration, smtpspec.yaml: what `smtpspec run` takes on its
command line that belongs in a file (docs/user-guide.md#run-configuration;
an example: docs/smtpspec.example.yaml).

`run` and `list` read ./smtpspec.yaml when there is one, or the file given
with -c/--config (which must exist); without either, nothing changes.
Every key is the `run` flag of the same name, and every value goes through
the function that checks that flag (runner/targets.py, variables.py,
delivery.py), so the file accepts exactly what the flags do:

    paths: [DIR, FILE, 'GLOB']            scenario paths
    tags, rfc, id, level: VALUE or [..]   the selection
    targets:                              servers under test
      - name: NAME                        (default: the address)
        address: HOST:PORT
        tls, ca, insecure, server-name:   this server's own TLS settings
        delivered: KIND:WHERE             maildir:DIR, mbox:FILE, command:CMD
        vars: {KEY: VALUE}                this target's variables
        expect: FILE or [FILE, ...]       this target's expectations
    clients:                              clients under test
      - name: NAME
        command: TEMPLATE
        vars, expect:                     as for a target
    tls: none|starttls|implicit           every server's TLS settings
    ca: FILE
    insecure: true|false
    server-name: NAME
    vars: {KEY: VALUE}                    every target's variables
    jobs: N
    timeout: DURATION
    strict: true|false
    expect: FILE or [FILE, ...]           expectations for every target
    report-json, report-junit, report-html: FILE

Relative paths are relative to the file's folder. An error names the file,
line and column, and the key: `smtpspec.yaml:7:14: targets[1].address:
--target mx2=127.0.0.1: write HOST:PORT, [IPV6]:PORT or NAME=HOST:PORT`
(the flag it amounts to, and that flag's complaint). `jobs` and `timeout`
are smtpspec_cli's to judge when the run starts; placed() puts its
complaint at their place in the file.

The command line wins (apply()): paths, each selection flag, --jobs,
--timeout, --tls, --ca, --server-name and each --report-* replace the
file's value; --strict and --insecure can only turn it on; --var, --expect
and --delivered add to the file's (a --var comes after the file's, so it
wins over a file variable of the same scope; a --delivered replaces the
file's for its target). Any --target, --client or --client-cmd replaces
the file's targets and clients, with everything they carry.
"""

import collections
import os
import sys

from runner import delivery
from runner import files as files_lib
from runner import targets as targets_lib
from runner import variables
from runner import yaml_nodes
from runner.errors import Fatal

FILENAME = "smtpspec.yaml"

SELECTION = ("tags", "rfc", "id", "level")
_TLS = ("tls", "ca", "insecure", "server-name")
_REPORTS = ("report-json", "report-junit", "report-html")
KEYS = (("paths",) + SELECTION + ("targets", "clients") + _TLS +
        ("vars", "jobs", "timeout", "strict", "expect") + _REPORTS)
TARGET_KEYS = ("name", "address") + _TLS + ("delivered", "vars", "expect")
CLIENT_KEYS = ("name", "command", "vars", "expect")

# One server or client of the file. `tls` is a targets.Tls whose unset
# fields are None; `vars` are (key, value) pairs; `delivered` is a
# --delivered value naming the target, or None.
Target = collections.namedtuple("Target", "target tls delivered vars expect")

# The file, read: the top-level settings by key (paths already relative to
# the current folder), its targets and clients (Target each), the global
# TLS settings (a targets.Tls, unset fields None), and where the values
# that smtpspec_cli judges are ({key: "FILE:LINE:COL"}).
Config = collections.namedtuple("Config",
                                "path values targets clients tls places")

# Values passed to smtpspec_cli as they are: it owns their meaning and
# judges them when the run starts (placed() puts its complaint at the key).
_JUDGED_LATER = ("jobs", "timeout")


def find(given, cwd):
    """The configuration's path: `given` (-c), which must exist, else
    ./smtpspec.yaml if there is one, else None."""
    if given is not None:
        if not os.path.isfile(given):
            raise Fatal("--config %s: no such file" % given)
        return given
    here = os.path.join(cwd, FILENAME)
    return os.path.relpath(here) if os.path.isfile(here) else None


def _again(f, node, key, error):
    """A flag's complaint (a Fatal from the function that checks it) as
    the file's, at `node`."""
    return f.error(node, key, str(error))


def _vars(f, node, key, target=None):
    """[(key, value)] of a `vars:` mapping, each checked as --var is
    (TARGET:KEY=VALUE for a target's own)."""
    out = []
    for name, (name_node, value_node) in f.pairs(node, key).items():
        where = f.key(key, name)
        value = f.text(value_node, where)
        spec = "%s=%s" % (name, value)
        try:
            parsed = variables.parse([spec if target is None else
                                      "%s:%s" % (target, spec)])
        except Fatal as e:
            raise _again(f, name_node, where, e)
        got = parsed.common if target is None else parsed.by_target.get(
            target)
        if got != [(name, value)]:  # a ':' in the name
            raise f.error(name_node, where, "not a variable name: write "
                          "letters, digits and '_'")
        out.append((name, value))
    return out


def _tls(f, fields, key):
    """A targets.Tls of the TLS keys in `fields` (unset ones None)."""
    readers = {"tls": lambda n, k: f.choice(n, k, targets_lib.TLS_MODES),
               "ca": f.path, "insecure": f.boolean, "server-name": f.text}
    return targets_lib.Tls(*[
        readers[name](fields[name][1], f.key(key, name)) if name in fields
        else None for name in _TLS])


def _named(f, fields, key, spec, parse, value_key):
    """The targets.Target that `parse` (targets.parse or parse_client)
    makes of `spec`; its complaint is put at the name when the name is what
    is wrong, else at `value_key`'s value."""
    name_node = fields["name"][1] if "name" in fields else None
    name = f.text(name_node, key + ".name") if name_node is not None \
        else None
    try:
        target = parse(spec)
    except Fatal as e:
        try:
            parse(spec.replace(name + "=", "x=", 1) if name else spec)
        except Fatal:
            raise _again(f, fields[value_key][1], f.key(key, value_key), e)
        raise _again(f, name_node, key + ".name", e)
    if name is not None and target.name != name:
        raise f.error(name_node, key + ".name", "a name is letters, digits, "
                      "'.', '_' and '-'")
    return target


def _server(f, node, key):
    fields = f.mapping(node, key, TARGET_KEYS)
    if "address" not in fields:
        raise f.error(node, key, "a target needs an address: HOST:PORT")
    address = f.text(fields["address"][1], key + ".address")
    spec = address
    if "name" in fields:
        spec = "%s=%s" % (f.text(fields["name"][1], key + ".name"), address)
    target = _named(f, fields, key, spec, targets_lib.parse, "address")
    delivered = None
    if "delivered" in fields:
        where = fields["delivered"][1]
        try:
            _, spec = delivery.parse_spec(
                f.text(where, key + ".delivered"), base=f.base)
        except Fatal as e:
            raise _again(f, where, key + ".delivered", e)
        delivered = "%s=%s:%s" % (target.name, spec.kind, spec.where)
    return Target(target, _tls(f, fields, key), delivered,
                  *_own(f, fields, key, target.name))


def _client(f, node, key):
    fields = f.mapping(node, key, CLIENT_KEYS)
    if "name" not in fields or "command" not in fields:
        raise f.error(node, key, "a client needs a name and a command "
                      "(its template)")
    spec = "%s=%s" % (f.text(fields["name"][1], key + ".name"),
                      f.text(fields["command"][1], key + ".command"))
    target = _named(f, fields, key, spec, targets_lib.parse_client,
                    "command")
    return Target(target, None, None, *_own(f, fields, key, target.name))


def _own(f, fields, key, name):
    """(vars, expect) of one target."""
    own_vars = (_vars(f, fields["vars"][1], key + ".vars", name)
                if "vars" in fields else [])
    expect = (f.paths(fields["expect"][1], key + ".expect")
              if "expect" in fields else [])
    return own_vars, expect


def load(path):
    """The Config in the file at `path`; raises Fatal."""
    f = yaml_nodes.File(path, files_lib.read_text(path, "run configuration"))
    fields = f.mapping(f.root, "", KEYS) if f.root is not None else {}
    values = {}
    for key in SELECTION:
        if key in fields:
            values[key] = f.texts(fields[key][1], key)
    for key in ("paths", "expect"):
        if key in fields:
            values[key] = f.paths(fields[key][1], key)
    places = {}
    for key in _JUDGED_LATER:
        if key in fields:
            values[key] = f.text(fields[key][1], key, "a value")
            places[key] = f.where(fields[key][1])
    if "strict" in fields:
        values["strict"] = f.boolean(fields["strict"][1], "strict")
    for key in _REPORTS:
        if key in fields:
            values[key] = f.path(fields[key][1], key)
    if "vars" in fields:
        values["vars"] = _vars(f, fields["vars"][1], "vars")
    listed = {}
    for key, read in (("targets", _server), ("clients", _client)):
        listed[key] = [read(f, item, "%s[%d]" % (key, i)) for i, item in
                       enumerate(f.items(fields[key][1], key))] if (
                           key in fields) else []
    seen = []
    for key in ("targets", "clients"):
        for i, one in enumerate(listed[key]):
            try:
                targets_lib.check_names(seen + [one.target])
            except Fatal as e:
                node = fields[key][1].value[i]
                raise _again(f, node, "%s[%d].name" % (key, i), e)
            seen.append(one.target)
    return Config(path, values, listed["targets"], listed["clients"],
                  _tls(f, fields, ""), places)


def _first(*values):
    return next((v for v in values if v is not None), None)


def _tls_of(*settings):
    """One targets.Tls from several, the first set value of each field
    winning; unset at the end: plain SMTP, verified."""
    tls = targets_lib.Tls(*[_first(*field) for field in zip(*settings)])
    return tls._replace(mode=tls.mode or targets_lib.TLS_MODES[0],
                        insecure=bool(tls.insecure))


def apply(args, cwd, err=None):
    """Puts the configuration (-c FILE or ./smtpspec.yaml) into `args`, the
    parsed `run` or `list` flags, the command line winning (module
    docstring); returns the Config, or None when there is none."""
    path = find(getattr(args, "config", None), cwd)
    if path is None:
        return None
    config = load(path)
    print("smtpspec: run configuration %s" % path, file=err or sys.stderr)
    values = config.values
    if not args.paths:
        args.paths = values.get("paths", [])
    for key in SELECTION:
        if getattr(args, key, None) is None:
            setattr(args, key, values.get(key))
    if args.command != "run":
        return config
    args.config_places = {}
    for key in _JUDGED_LATER + _REPORTS:
        attr = key.replace("-", "_")
        if getattr(args, attr, None) is None:
            setattr(args, attr, values.get(key))
            if key in config.places:
                args.config_places["--" + key] = "%s: %s" % (
                    config.places[key], key)
    args.strict = args.strict or values.get("strict", False)
    # --insecure given is True; not given, it leaves the file's.
    flags = targets_lib.Tls(args.tls, args.ca, args.insecure or None,
                            args.server_name)
    args.tls, args.ca, args.insecure, args.server_name = _tls_of(
        flags, config.tls)
    own = [] if (args.target or args.client or args.client_cmd is not None) \
        else config.targets + config.clients
    servers = [t for t in own if not t.target.command]
    args.target = args.target or [_target_flag(t.target) for t in servers]
    args.client = args.client or ["%s=%s" % (t.target.name, t.target.command)
                                  for t in own if t.target.command]
    args.target_tls = {t.target.name: _tls_of(flags, t.tls, config.tls)
                       for t in servers}
    args.var = ["%s=%s" % kv for kv in values.get("vars", [])] + [
        "%s:%s=%s" % (t.target.name, k, v) for t in own for k, v in
        t.vars] + (args.var or [])
    flagged = _delivered_names(args.delivered, args.target)
    args.delivered = [t.delivered for t in servers if t.delivered and
                      t.target.name not in flagged] + (args.delivered or [])
    args.target_expect = {t.target.name: t.expect for t in own if t.expect}
    args.expect = values.get("expect", []) + [
        p for t in own for p in t.expect] + (args.expect or [])
    return config


def placed(args, message):
    """smtpspec_cli's complaint about a flag that came from the file
    ("--jobs abc: a number from 1 to 1000"), put at its place there:
    "smtpspec.yaml:3:7: jobs: --jobs abc: ..."; any other unchanged."""
    for flag, place in (getattr(args, "config_places", None) or {}).items():
        if message.startswith(flag + " "):
            return "%s: %s" % (place, message)
    return message


def _target_flag(target):
    """The --target value of a server: NAME=ADDRESS, or the address alone
    when it is its name (a target without `name:`)."""
    if target.name == target.address:
        return target.address
    return "%s=%s" % (target.name, target.address)


def _delivered_names(values, servers):
    """The target names the --delivered flags are for."""
    out = set()
    for value in values or ():
        name, _ = delivery.parse_spec(value)
        if name is None and len(servers) == 1:
            name = targets_lib.parse(servers[0]).name
        out.add(name)
    return out
