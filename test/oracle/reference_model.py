#!/usr/bin/env python3
"""An independent model of the reference engine (SPEC.md sections 2-7).

Written from SPEC.md alone, the way the reference (a Python program) would most likely
be written: Python `re` for regexes and translated path patterns, str.lower() on metas,
hashlib.md5 of json.dumps for rule ids, datetime and zoneinfo for time zones and calendar
windows. Local time follows SPEC 4.6: every reading at the zone's offset at the moment of the
request, quota hours are real hours (local hh:00 at the request's offset), days are local dates.
(The reference itself reads its zone's offset once, at start; to model a reference server that
started at S in zone Z, run this with the fixed offset Z had at S.)

Input: one JSON job per line on stdin:
    {"policy": <parsed policy>, "tz": "UTC" | "+04:00" | "Europe/Paris", "steps": [{"at", "request"}]}
Output: one JSON line per job:
    {"rule_ids": {type: [[id, ...], ...]}, "decisions": [{"approved", "rule_set"}, ...]}
or {"error": "..."} when the model cannot build the policy (for example a regex Python rejects).
"""
import datetime as dt
import hashlib
import json
import re
import sys

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover - Python < 3.9
    ZoneInfo = None

DEFAULT_APPROVED = ("create_profile", "create_location")


# ---------------------------------------------------------------- rule ids (SPEC 5)

def rule_hash(rule):
    body = {k: v for k, v in rule.items() if k != "rule_id"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.md5(text.encode("ascii")).hexdigest()


def assign_ids(policy):
    seen = {}
    out = {}
    for rtype, tree in policy.items():
        sets = []
        for rule_set in tree or []:
            ids = []
            for rule in rule_set or []:
                explicit = rule.get("rule_id")
                base = str(explicit) if explicit is not None else rule_hash(rule)
                seen[base] = seen.get(base, 0) + 1
                if explicit is not None or seen[base] == 1:
                    ids.append(base)
                else:
                    ids.append("%s.%d" % (base, seen[base]))
            sets.append(ids)
        out[rtype] = sets
    return out


# ---------------------------------------------------------------- time zones and times

OFFSET_RE = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def parse_tz(name):
    if name in ("UTC", "Z", "utc"):
        return dt.timezone.utc
    m = OFFSET_RE.match(name)
    if m:
        delta = dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
        return dt.timezone(-delta if m.group(1) == "-" else delta)
    return ZoneInfo(name)


TIME_RE = re.compile(
    r"^\s*(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?\s*(am|pm)?\s*(Z|[+-]\d{2}:\d{2}|[A-Za-z]{2,5})?\s*$",
    re.IGNORECASE,
)


def parse_time(text):
    """-> (seconds since midnight, offset seconds or None for the server's zone)."""
    m = TIME_RE.match(str(text))
    if not m:
        raise ValueError("malformed time %r" % (text,))
    h, mi, s = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    ampm = (m.group(4) or "").lower()
    zone = m.group(5)
    # The reference parses times with dateutil; mirror where it departs from SPEC's wording:
    if m.group(2) is None and not ampm:
        h = 0  # a bare number is a day of the month to dateutil: the time is midnight
    if ampm and zone == "Z" and not re.search(r"[ap]m\s", str(text), re.IGNORECASE):
        raise ValueError("dateutil cannot parse %r" % (text,))  # `5:00pmZ`
    if ampm:
        if h > 12:
            raise ValueError("bad 12-hour time %r" % (text,))
        h = h % 12 + (12 if ampm == "pm" else 0)  # dateutil reads `0:30pm` as 12:30
    if h > 23 or mi > 59 or s > 59:
        raise ValueError("bad time %r" % (text,))
    offset = None
    if zone:
        if zone in ("Z", "z", "UTC", "GMT"):
            # the reference parses times with dateutil, which knows these names as UTC
            offset = 0
        elif zone[0] in "+-":
            sign = -1 if zone[0] == "-" else 1
            offset = sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
        # any other abbreviation (EST) is ignored: the time is in the server's zone (SPEC 4.3)
    return h * 3600 + mi * 60 + s, offset


def parse_at(text, tz):
    """A request's time, to the microsecond; without an offset it is wall-clock time in `tz`
    (fold=0: at a change of the clocks, the reading before the change)."""
    t = str(text)
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    at = dt.datetime.fromisoformat(t)
    return at.replace(tzinfo=tz) if at.tzinfo is None else at


# ---------------------------------------------------------------- rules

class Undecidable(Exception):
    """The rule's input is missing or malformed: the rule does not approve (SPEC 2.5)."""


def translate(literal):
    return "[^/]*".join(re.escape(part) for part in literal.split("*"))


def path_regex(p):
    if p.startswith("*"):
        return translate(p[1:])
    if p.startswith("/"):
        return "^" + translate(p.rstrip("/")) + "(?:/|$)"
    if p.endswith("/"):
        return translate("/" + p.rstrip("/")) + "/"
    if "/" in p:
        return translate("/" + p) + "(?:/|$)"
    return "(?:^|/)" + translate(p) + "$"


def walk_entry(walk, subject):
    """SPEC 4.1's walk over one entry (all regexes, then all paths), as the reference does it.

    SPEC reads as if a matching inverted pattern always denies. The reference does not: in
    conformance case UTC-11-013 step 26 it approves `/sub/café/Sub/taxi` against regexes
    `['!^x$', '!tax(es|i)']`. Once an inverted pattern has failed to match (the entry is
    "marked"), a later matching inverted pattern stops the walk but leaves the mark, so the
    entry is approved. This model was written that way from the conformance data alone; the
    published reference (policy_basics meta_str.py, AtakamaLLC) confirms it: its loop `break`s
    on a matching inverted pattern without clearing `should_approve`.
    """
    marked = False
    for inverted, rx in walk:
        if rx.search(subject) is not None:
            return marked if inverted else True
        if inverted:
            marked = True
    return marked


def compile_meta_rule(args):
    case_sensitive = bool(args.get("case_sensitive", False))
    flags = 0 if case_sensitive else re.IGNORECASE
    walk = []
    for source, is_regex in [(r, True) for r in args.get("regexes") or []] + [
        (p, False) for p in args.get("paths") or []
    ]:
        source = str(source)
        inverted = source.startswith("!")
        body = source[1:] if inverted else source
        walk.append((inverted, re.compile(body if is_regex else path_regex(body), flags)))
    require_complete = bool(args.get("require_complete", False))

    def approves(ctx):
        entries = ctx["request"].get("auth_meta")
        if not isinstance(entries, list) or not entries:
            return False
        for entry in entries:
            if not isinstance(entry, dict):
                return False
            meta, complete = entry.get("meta"), entry.get("complete")
            if not isinstance(meta, str) or not isinstance(complete, bool):
                return False
            if meta == "" or meta.startswith("/"):
                return False
            if require_complete and not complete:
                return False
            if not case_sensitive:
                meta = meta.lower()
            subject = "/" + meta if complete else meta
            if not walk_entry(walk, subject):
                return False
        return True

    return approves


def compile_profile_rule(args):
    hexes, word_lists = set(), []
    for entry in args.get("profile_ids") or []:
        entry = str(entry)
        if " " in entry:
            # split on single spaces, as the reference does: a double or leading space makes an
            # empty word, and such an entry matches no real profile
            words = [w.strip() for w in entry.split(" ")]
            if len(words) < 4:
                raise ValueError("profile words entry %r has fewer than 4 words" % (entry,))
            word_lists.append(words)
        else:
            hexes.add(bytes.fromhex(entry).hex())  # odd length or non-hex: the policy is invalid

    def approves(ctx):
        profile = ctx["request"].get("profile")
        if not isinstance(profile, dict):
            return False
        pid = profile.get("profile_id")
        if isinstance(pid, str) and pid.lower() in hexes:
            return True
        words = profile.get("profile_words")
        if isinstance(words, list):
            for wl in word_lists:
                if words[: len(wl)] == wl:
                    return True
        return False

    return approves


def compile_time_rule(args):
    start = parse_time(args["time_start"]) if "time_start" in args else None
    end = parse_time(args["time_end"]) if "time_end" in args else None
    days = args.get("days")
    include = set(str(d) for d in args.get("include") or [])
    exclude = set(str(d) for d in args.get("exclude") or [])

    def approves(ctx):
        now = ctx["now"]
        day = now.date().isoformat()
        if day in exclude:
            return False
        if days is not None and day not in include and now.weekday() not in days:
            return False
        if start is None:
            return True
        # aware times compare as seconds since midnight minus their UTC offset, no wrap; the
        # server's offset is the one at this moment (SPEC 4.6). Whole microseconds: exact.
        server_off = int(now.utcoffset().total_seconds())
        now_us = ((now.hour * 60 + now.minute) * 60 + now.second - server_off) * 10**6 + now.microsecond

        def adj(t):
            secs, off = t
            return (secs - (server_off if off is None else off)) * 10**6

        return adj(start) <= now_us <= adj(end)

    return approves


def compile_throttle(args, rule_id):
    per_hour, per_day = args.get("per_hour"), args.get("per_day")

    def approves(ctx):
        pid = profile_key(ctx["request"])
        if pid is None:
            return False
        hour_count, day_count = ctx["quota"].counts(rule_id, pid, ctx["now"])
        # a missing limit, or -1, is no limit (SPEC 4.4); 0 never approves
        if per_day is not None and per_day >= 0 and day_count >= per_day:
            return False
        if per_hour is not None and per_hour >= 0 and hour_count >= per_hour:
            return False
        return True

    return approves


def profile_key(request):
    profile = request.get("profile")
    if not isinstance(profile, dict):
        return None
    pid = profile.get("profile_id")
    if not isinstance(pid, str) or pid == "":
        return None
    return pid.lower()


def compile_rule(rule, rule_id):
    kind = rule.get("rule")
    args = {k: v for k, v in rule.items() if k not in ("rule", "rule_id")}
    if kind == "approve-rule" or kind == "session-params-rule":
        return (lambda ctx: True), False
    if kind == "reject-rule":
        return (lambda ctx: False), False
    if kind == "meta-rule":
        return compile_meta_rule(args), False
    if kind == "profile-id-rule":
        return compile_profile_rule(args), False
    if kind == "time-range-rule":
        return compile_time_rule(args), False
    if kind == "per-profile-throttle-rule":
        return compile_throttle(args, rule_id), True
    raise ValueError("unknown rule kind %r" % (kind,))


# ---------------------------------------------------------------- quota (in memory)

def buckets(now):
    """SPEC 4.6: the real hour that holds `now` (local hh:00 at now's offset, one hour long), and
    the local date. When the clocks go back, the repeated local hour has another offset, so it is
    another hour."""
    wall = now.replace(tzinfo=None)
    hour_start = wall.replace(minute=0, second=0, microsecond=0) - now.utcoffset()  # in UTC
    return hour_start, wall.date()


class Quota:
    def __init__(self):
        self.uses = {}  # (rule_id, pid) -> list of (hour bucket, day bucket)

    def counts(self, rule_id, pid, now):
        uses = self.uses.get((rule_id, pid), [])
        hour, day = buckets(now)
        return (
            sum(1 for h, d in uses if h == hour),
            sum(1 for h, d in uses if d == day),
        )

    def record(self, rule_id, pid, now):
        self.uses.setdefault((rule_id, pid), []).append(buckets(now))


# ---------------------------------------------------------------- decisions (SPEC 2)

class Engine:
    def __init__(self, policy, tz):
        self.tz = parse_tz(tz)
        self.rule_ids = assign_ids(policy)
        self.trees = {}
        for rtype, tree in policy.items():
            sets = []
            for si, rule_set in enumerate(tree or []):
                rules = []
                for ri, rule in enumerate(rule_set or []):
                    fn, stateful = compile_rule(rule, self.rule_ids[rtype][si][ri])
                    rules.append((fn, stateful, self.rule_ids[rtype][si][ri]))
                sets.append(rules)
            self.trees[rtype] = sets
        self.quota = Quota()

    def decide(self, request, at):
        now = parse_at(at, self.tz).astimezone(self.tz)
        rtype = request.get("request_type") if isinstance(request, dict) else None
        if rtype not in self.trees:
            return {"approved": rtype in DEFAULT_APPROVED, "rule_set": None}
        ctx = {"request": request, "now": now, "quota": self.quota}
        for index, rules in enumerate(self.trees[rtype]):
            ok = True
            for fn, _stateful, _rid in rules:
                try:
                    if not fn(ctx):
                        ok = False
                        break
                except (Undecidable, KeyError, TypeError, ValueError, AttributeError):
                    ok = False
                    break
            if ok:
                pid = profile_key(request)
                for _fn, stateful, rid in rules:
                    if stateful:
                        self.quota.record(rid, pid, now)
                return {"approved": True, "rule_set": index}
        return {"approved": False, "rule_set": None}


def run_job(job):
    try:
        engine = Engine(job["policy"], job.get("tz", "UTC"))
    except (re.error, ValueError, KeyError, TypeError) as e:
        return {"error": "%s: %s" % (type(e).__name__, e)}
    decisions = [engine.decide(step["request"], step["at"]) for step in job.get("steps", [])]
    return {"rule_ids": engine.rule_ids, "decisions": decisions}


def main():
    # One answer line per job line, flushed at once: the test keeps this process open and
    # asks it one job at a time (so fast-check can shrink), or pipes a whole batch.
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        try:
            answer = run_job(json.loads(line))
        except Exception as e:  # a model bug must not hang the caller
            answer = {"crash": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
