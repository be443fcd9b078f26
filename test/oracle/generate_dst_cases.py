#!/usr/bin/env python3
"""Conformance cases for zones with daylight saving, decided by the SPEC 4.6 model.

    python3 test/oracle/generate_dst_cases.py        # rewrites test/conformance/cases-dst-model/

For New York, London, Lord Howe (a 30-minute change) and Kolkata (no change, a half-hour offset),
around each change of the clocks in 2026: fall-back repeated hours, spring-forward gaps, local
midnight, weekdays, include/exclude at the change, per_hour and per_day, times with and without
offsets, requests at a window's end and a microsecond after it, `at` written with an offset, in
UTC and without an offset. Expectations come from reference_model.py (which follows SPEC 4.6, and
reproduces the reference's own cases), written in the shared cases' format with a `note`.

A few cases carry `reference_utc_offset`: what the reference, which reads its zone's offset once at
start (SPEC 4.6), decides when it started in winter. They are the model run at that fixed offset.
"""
import datetime as dt
import json
import os
import sys
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_model as model  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance", "cases-dst-model")
UTC = dt.timezone.utc

# (zone, short name, the instant the clocks change (UTC), what happens)
CHANGES = [
    ("America/New_York", "ny", "2026-03-08T07:00:00", "spring forward: 02:00 EST becomes 03:00 EDT"),
    ("America/New_York", "ny", "2026-11-01T06:00:00", "fall back: 02:00 EDT becomes 01:00 EST, 01:xx happens twice"),
    ("Europe/London", "london", "2026-03-29T01:00:00", "spring forward: 01:00 GMT becomes 02:00 BST"),
    ("Europe/London", "london", "2026-10-25T01:00:00", "fall back: 02:00 BST becomes 01:00 GMT, 01:xx happens twice"),
    ("Australia/Lord_Howe", "lordhowe", "2026-04-05T15:00:00", "fall back half an hour: 02:00+11:00 becomes 01:30+10:30"),
    ("Australia/Lord_Howe", "lordhowe", "2026-10-04T15:30:00", "spring forward half an hour: 02:00+10:30 becomes 02:30+11:00"),
    ("Asia/Kolkata", "kolkata", "2026-03-28T18:30:00", "no change of the clocks: local midnight at +05:30"),
]

PROFILES = ["00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100"]


def request(profile):
    return {"request_type": "decrypt", "profile": {"profile_id": PROFILES[profile]}}


def policies(zone, change_local_date):
    """The policies tried around one change; times in local wall-clock terms of that night."""
    # The standard offset: the smaller of winter's and summer's, in either hemisphere.
    std_text = offset_text(min(ZoneInfo(zone).utcoffset(dt.datetime(2026, m, 15)) for m in (1, 7)))
    day = change_local_date
    weekday = day.weekday()
    return [
        ("per-hour", "per_hour 1 and per_day 3 for one profile, and per_hour 2 for another rule set",
         {"decrypt": [[{"rule": "profile-id-rule", "profile_ids": [PROFILES[0]]},
                       {"rule": "per-profile-throttle-rule", "per_hour": 1, "per_day": 3}],
                      [{"rule": "per-profile-throttle-rule", "per_hour": 2, "rule_id": "others"}]]}),
        ("per-day", "per_day 2 (the local date is the day, however long it is)",
         {"decrypt": [[{"rule": "per-profile-throttle-rule", "per_day": 2}]]}),
        ("naive-window", "wall-clock windows over the change, one with per_hour 1",
         {"decrypt": [[{"rule": "time-range-rule", "time_start": "01:00", "time_end": "01:59:59"},
                       {"rule": "per-profile-throttle-rule", "per_hour": 1, "rule_id": "night"}],
                      [{"rule": "time-range-rule", "time_start": "2:00am", "time_end": "3:00am"}]]}),
        ("offset-window", "windows with offsets (UTC and the zone's standard offset) beside a wall-clock one",
         {"decrypt": [[{"rule": "time-range-rule", "time_start": "00:30" + std_text, "time_end": "02:00" + std_text}],
                      [{"rule": "time-range-rule", "time_start": "23:00Z", "time_end": "23:59:59Z"}],
                      [{"rule": "time-range-rule", "time_start": "02:30", "time_end": "03:30"}]]}),
        ("days", "weekday, include and exclude at the local midnights around the change",
         {"decrypt": [[{"rule": "time-range-rule", "days": [weekday], "exclude": [(day + dt.timedelta(days=1)).isoformat()],
                        "include": [(day - dt.timedelta(days=1)).isoformat()]}],
                      [{"rule": "time-range-rule", "days": [(weekday + 1) % 7], "time_start": "00:00", "time_end": "00:30"}]]}),
    ]


def offset_text(delta):
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return "%s%02d:%02d" % (sign, abs(minutes) // 60, abs(minutes) % 60)


def moments(zone, change):
    """Instants (UTC) around the change, and the local midnights either side of it."""
    tz = ZoneInfo(zone)
    out = [change + dt.timedelta(minutes=m) for m in range(-150, 151, 30)]
    out += [change + dt.timedelta(minutes=m) for m in (-31, -1, 0, 29, 30, 59, 60)]
    local = change.astimezone(tz)
    for days in (-1, 0, 1):
        midnight = dt.datetime.combine(local.date() + dt.timedelta(days=days), dt.time(0), tzinfo=tz)
        out += [midnight - dt.timedelta(microseconds=1), midnight, midnight + dt.timedelta(minutes=10)]
    return sorted(set(out))


def write_at(instant, tz, style):
    """`at` as a client would write it: with the local offset, in UTC, or without an offset."""
    local = instant.astimezone(tz)
    if style == 1:
        return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")
    wall = local.replace(tzinfo=None, fold=0)
    if style == 2 and wall.replace(tzinfo=tz).astimezone(UTC) == instant:
        return wall.isoformat()  # only where the wall clock read with fold=0 names this instant
    return local.isoformat()


def run_model(policy, tz, steps):
    answer = model.run_job({"policy": policy, "tz": tz, "steps": steps})
    if "error" in answer:
        raise SystemExit("the model refuses a generated policy: %s" % answer["error"])
    return answer


def to_yaml(policy):
    """Block YAML for these policies: request type -> rule sets -> rules of scalars and lists."""
    lines = []
    for rtype, sets in policy.items():
        lines.append("%s:" % rtype)
        for rules in sets:
            for i, rule in enumerate(rules):
                for k, (key, value) in enumerate(rule.items()):
                    lead = ("  - - " if i == 0 else "    - ") if k == 0 else "      "
                    lines.append("%s%s: %s" % (lead, key, json.dumps(value)))
    return "\n".join(lines) + "\n"


def case(name, zone, policy, steps, note, reference_offset=None):
    answer = run_model(policy, reference_offset or zone, steps)
    out = {"name": name, "tz": zone}
    if reference_offset:
        out["reference_utc_offset"] = reference_offset
    out.update({
        "policy_yaml": to_yaml(policy),
        "rule_ids": answer["rule_ids"],
        "note": note,
        "steps": [dict(step, expect=decision) for step, decision in zip(steps, answer["decisions"])],
        "oracle": "test/oracle/generate_dst_cases.py: reference_model.py, SPEC 4.6",
    })
    return out


def change_cases():
    for zone, short, when, what in CHANGES:
        tz = ZoneInfo(zone)
        change = dt.datetime.fromisoformat(when).replace(tzinfo=UTC)
        local_date = change.astimezone(tz).date()
        instants = moments(zone, change)
        for label, about, policy in policies(zone, local_date):
            steps = []
            for i, instant in enumerate(instants):
                steps.append({"at": write_at(instant, tz, i % 3), "request": request(1 if i % 5 == 4 else 0)})
            name = "M-%s-%s-%s" % (short, local_date.isoformat(), label)
            note = "%s, %s (%s). %s; every 30 minutes from 2.5 hours before to 2.5 hours after, at the change and a minute either side, and at the local midnights around it; every fifth request from a second profile." % (zone, local_date.isoformat(), what, about)
            yield case(name, zone, policy, steps, note)


def end_of_window_case():
    policy = {"decrypt": [[{"rule": "time-range-rule", "time_start": "09:00", "time_end": "17:00"}]]}
    ats = ["2026-07-15T17:00:00-04:00", "2026-07-15T17:00:00.000001-04:00", "2026-07-15T08:59:59.999999-04:00",
           "2026-07-15T09:00:00-04:00", "2026-07-15T21:00:00.000001Z", "2026-07-15T16:59:59.999999"]
    steps = [{"at": at, "request": request(0)} for at in ats]
    return case("M-ny-2026-07-15-window-ends-to-the-microsecond", "America/New_York", policy, steps,
                "Naive 09:00-17:00 in New York in summer: 17:00:00 EDT is inside (both ends included), 17:00:00.000001 is not; 08:59:59.999999 is not, 09:00 is; a naive `at` is wall-clock time in the server zone.")


def reference_cases():
    """The reference reads its zone's offset once, at start: these started in winter."""
    office = {"decrypt": [[{"rule": "time-range-rule", "time_start": "09:00", "time_end": "17:00"}],
                          [{"rule": "per-profile-throttle-rule", "per_hour": 1, "rule_id": "after-hours"}]]}
    yield case("M-ny-reference-started-in-winter", "America/New_York", office,
               [{"at": at, "request": request(0)} for at in ["2026-01-15T08:59:00-05:00", "2026-01-15T09:30:00-05:00",
                "2026-07-15T09:30:00-04:00", "2026-07-15T17:30:00-04:00", "2026-07-15T17:50:00-04:00", "2026-07-15T18:10:00-04:00"]],
               "The reference started in January kept EST (-05:00): in July, 09:30 EDT reads as 08:30 and is outside office hours (rule set 1 counts it), 17:30 EDT reads as 16:30 and is inside. kss reproduces it given --tz -05:00; with America/New_York it reads the offset at each request (SPEC 4.6).",
               "-05:00")
    yield case("M-london-reference-started-in-winter", "Europe/London", office,
               [{"at": at, "request": request(0)} for at in ["2026-07-01T09:30:00+01:00", "2026-07-01T08:30:00+01:00",
                "2026-07-01T17:30:00+01:00", "2026-07-01T18:30:00+01:00", "2026-10-25T01:30:00+01:00", "2026-10-25T01:30:00+00:00"]],
               "The reference started in winter kept GMT (+00:00): 09:30 BST reads as 08:30 (outside, counted by rule set 1), 17:30 BST as 16:30 (inside). At the fall-back both 01:30s read as 00:30 and 01:30 GMT: two hours apart for the counter too.",
               "+00:00")
    yield case("M-lordhowe-reference-started-in-winter", "Australia/Lord_Howe", office,
               [{"at": at, "request": request(0)} for at in ["2026-12-10T09:15:00+11:00", "2026-12-10T09:45:00+11:00", "2026-12-10T17:20:00+11:00", "2026-12-10T17:40:00+11:00"]],
               "The reference started in July kept +10:30: in December (+11:00) 09:15 reads as 08:45 (outside, counted), 09:45 as 09:15 (inside), 17:20 as 16:50 (inside), 17:40 as 17:10 (outside, a new real hour for the counter).",
               "+10:30")


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".json"):
            os.remove(os.path.join(OUT, old))
    cases = list(change_cases()) + [end_of_window_case()] + list(reference_cases())
    for c in cases:
        with open(os.path.join(OUT, c["name"] + ".json"), "w", encoding="utf-8") as f:
            json.dump(c, f, indent=1, ensure_ascii=False)
            f.write("\n")
    print("wrote %d cases to %s" % (len(cases), os.path.relpath(OUT)))


if __name__ == "__main__":
    main()
