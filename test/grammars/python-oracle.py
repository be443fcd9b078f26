"""The reference's behaviour, asked in batch by python-differential.test.ts.

Reads one JSON request per line on stdin, writes one JSON answer per line on stdout:
  {"op": "search", "p": pattern, "i": ignorecase, "s": [subjects]} -> {"ok": bool, "error"?: str, "m": [bool]}
  {"op": "lower", "s": [strings]} -> {"l": [lowered]}
  {"op": "path", "p": path pattern, "i": ignorecase, "s": [subjects]} -> as "search", with the
     pattern compiled the way the reference's meta-rule compiles it (path_regex below)
"""
import json, re, sys, warnings

warnings.simplefilter('ignore')


def path_regex(p):
    """A path pattern as the reference's meta-rule (policy_basics meta_str.py) turns it into a regex."""
    def lit(s):
        return re.escape(s).replace('\\*', '[^/]*')
    if p.startswith('*'):
        return '.*' + lit(p[1:])
    if p.startswith('/'):
        body = lit(p.rstrip('/') if p.endswith('/') else p)
        return '^%s/|^%s$' % (body, body)
    if '/' in p:
        if not p.endswith('/'):
            return '\\/%s/|\\/%s$' % (lit(p), lit(p))
        return '\\/%s/' % lit(p).rstrip('/')
    return '(\\/|^)%s$' % lit(p)


out = []
for line in sys.stdin:
    req = json.loads(line)
    if req['op'] == 'lower':
        out.append({'l': [s.lower() for s in req['s']]})
        continue
    try:
        rx = re.compile(path_regex(req['p']) if req['op'] == 'path' else req['p'], re.IGNORECASE if req['i'] else 0)
    except (re.error, OverflowError, ValueError, RecursionError) as e:
        out.append({'ok': False, 'error': str(e)})
        continue
    out.append({'ok': True, 'm': [rx.search(s) is not None for s in req['s']]})
sys.stdout.write('\n'.join(json.dumps(o) for o in out) + '\n')
