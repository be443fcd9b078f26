import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DbUriError, parseMysqlUri, redact } from '../../runtime/store/mysql/uri.js';

describe('database URIs', () => {
  it('reads the reference form with every key', () => {
    expect(parseMysqlUri('mysql:host=db.local,port=3307,user=kss,password=s3cret,database=keys', {})).toEqual({
      host: 'db.local', port: 3307, user: 'kss', password: 's3cret', database: 'keys',
    });
  });

  it('reads the URL form and decodes escapes', () => {
    expect(parseMysqlUri('mysql://kss:p%40ss@10.0.0.5:3310/keys', {})).toEqual({
      host: '10.0.0.5', port: 3310, user: 'kss', password: 'p@ss', database: 'keys',
    });
  });

  it('takes the password from KSS_DB_PASSWORD when the URI has none, and the URI one first', () => {
    expect(parseMysqlUri('mysql:host=h,user=u,database=d', { KSS_DB_PASSWORD: 'env' }).password).toBe('env');
    expect(parseMysqlUri('mysql://u@h/d', { KSS_DB_PASSWORD: 'env' }).password).toBe('env');
    expect(parseMysqlUri('mysql://u:uri@h/d', { KSS_DB_PASSWORD: 'env' }).password).toBe('uri');
  });

  it('defaults the port to 3306', () => {
    expect(parseMysqlUri('mysql://u:p@h/d', {}).port).toBe(3306);
  });

  it.each([
    ['sqlite:/tmp/x', /not a MySQL database URI/],
    ['mysql:host=h,user=u', /names no database/],
    ['mysql:host=h,database=d', /names no user/],
    ['mysql:host=h,user=u,database=d,colour=red', /unknown key `colour`/],
    ['mysql:host=h,user=u,user=v,database=d', /appears twice/],
    ['mysql:host=h,port=99999,user=u,database=d', /port `99999`/],
    ['mysql:host=h,user=u,database=d;drop', /may only use letters/],
    ['mysql:host,user=u,database=d', /is not `key=value`/],
  ])('rejects %s with a clear message', (uri, message) => {
    expect(() => parseMysqlUri(uri, {})).toThrow(DbUriError);
    expect(() => parseMysqlUri(uri, {})).toThrow(message);
  });

  it('never puts the password into an error message', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9]{6,20}$/), (pw) => {
        for (const uri of [`mysql:host=h,port=x,password=${pw},user=u,database=d`, `mysql://u:${pw}@h:0/d`]) {
          try {
            parseMysqlUri(uri, {});
          } catch (e) {
            expect((e as Error).message).not.toContain(pw);
          }
          expect(redact(uri)).not.toContain(pw);
        }
      }),
    );
  });

  it('reads both forms alike (property)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
    fc.assert(
      fc.property(word, word, word, word, fc.integer({ min: 1, max: 65535 }), (host, user, pw, db, port) => {
        const a = parseMysqlUri(`mysql:host=${host},port=${port},user=${user},password=${pw},database=${db}`, {});
        const b = parseMysqlUri(`mysql://${user}:${pw}@${host}:${port}/${db}`, {});
        expect(a).toEqual(b);
      }),
    );
  });
});
