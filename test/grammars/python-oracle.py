"""The reference's behaviour, asked in batch by python-differential.test.ts.

Reads one JSON request per line on stdin, writes one JSON answer per line on stdout:
  {"op": "search", "p": pattern, "i": ignorecase, "s": [subjects]} -> {"ok": bool, "error"?: str, "m": [bool]}
  {"op": "lower", "s": [strings]} -> {"l": [lowered]}
"""
import json, re, sys, warnings

warnings.simplefilter('ignore')
out = []
for line in sys.stdin:
    req = json.loads(line)
    if req['op'] == 'lower':
        out.append({'l': [s.lower() for s in req['s']]})
        continue
    try:
        rx = re.compile(req['p'], re.IGNORECASE if req['i'] else 0)
    except (re.error, OverflowError, ValueError, RecursionError) as e:
        out.append({'ok': False, 'error': str(e)})
        continue
    out.append({'ok': True, 'm': [rx.search(s) is not None for s in req['s']]})
sys.stdout.write('\n'.join(json.dumps(o) for o in out) + '\n')
