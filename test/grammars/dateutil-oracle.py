"""How the reference reads times of day: `dateutil.parser.parse(text).timetz()` (policy_basics
time_range.py). Asked in batch by dateutil-differential.test.ts, with TZ=UTC so that a zone name the
machine calls local (dateutil's tzlocal()) has offset 0.

stdin: one JSON array of strings. stdout: one JSON array of answers, each
  {"ok": false} or {"ok": true, "seconds": int, "micro": int, "offset": int | null, "warned": bool}
"""
import json, sys, warnings

try:
    import dateutil.parser
except ImportError:
    sys.stderr.write('python-dateutil is required (the reference parses times with it): pip install python-dateutil\n')
    sys.exit(3)


def read(text):
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            t = dateutil.parser.parse(text).timetz()
            offset = t.utcoffset()  # an offset of 24 hours or more fails here
    except (ValueError, OverflowError, TypeError):
        return {'ok': False}
    return {
        'ok': True,
        'seconds': t.hour * 3600 + t.minute * 60 + t.second,
        'micro': t.microsecond,
        'offset': None if offset is None else int(offset.total_seconds()),
        'warned': any(issubclass(w.category, dateutil.parser.UnknownTimezoneWarning) for w in caught),
    }


json.dump([read(s) for s in json.load(sys.stdin)], sys.stdout)
