/** The console: sign in with an admin token (kept in memory), then one page per hash route. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { signIn, SIGN_IN_MESSAGES, type Api } from './api.js';
import { ErrorText } from './components.js';
import { Audit } from './pages/audit.js';
import { Overview } from './pages/overview.js';
import { Policy } from './pages/policy.js';
import { Quotas } from './pages/quotas.js';
import { Simulator } from './pages/simulator.js';

const PAGES = { overview: ['Overview', Overview], policy: ['Policy', Policy], quotas: ['Quotas', Quotas], audit: ['Audit', Audit], simulator: ['Simulator', Simulator] } as const;
type PageName = keyof typeof PAGES;

function currentPage(): PageName {
  const name = location.hash.replace(/^#\/?/, '');
  return name in PAGES ? (name as PageName) : 'overview';
}

function SignIn(props: { onSignedIn: (api: Api) => void; note: string | null }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(props.note);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!token.trim()) return setError('enter an admin token');
    setBusy(true);
    const r = await signIn(token);
    setBusy(false);
    if (typeof r === 'string') setError(SIGN_IN_MESSAGES[r]);
    else props.onSignedIn(r);
  };
  return (
    <main class="sign-in">
      <h1>kss console</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label for="token">Admin token</label>
        <input id="token" type="password" autocomplete="off" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        <button type="submit" disabled={busy}>Sign in</button>
        <ErrorText error={error} />
        <p class="hint">The token stays in this tab's memory only; reloading the page signs you out.</p>
      </form>
    </main>
  );
}

function App() {
  const [api, setApi] = useState<Api | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [page, setPage] = useState<PageName>(currentPage());
  useEffect(() => {
    const f = () => setPage(currentPage());
    addEventListener('hashchange', f);
    return () => removeEventListener('hashchange', f);
  }, []);
  if (!api) return <SignIn note={note} onSignedIn={(a) => {
    a.onUnauthorized(() => (setNote('the token was refused (revoked?): sign in again'), setApi(null)));
    setNote(null);
    setApi(a);
  }} />;
  const Page = PAGES[page][1];
  return (
    <>
      <header>
        <nav aria-label="Pages">
          <span class="brand">kss console</span>
          {(Object.keys(PAGES) as PageName[]).map((p) => (
            <a key={p} href={`#/${p}`} aria-current={p === page ? 'page' : undefined}>{PAGES[p][0]}</a>
          ))}
          <button type="button" class="link" onClick={() => setApi(null)}>Sign out</button>
        </nav>
      </header>
      <main><Page api={api} /></main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
