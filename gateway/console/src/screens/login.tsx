import { useState } from 'preact/hooks';
import { ErrorBox } from '../components/states';
import { useAction } from '../components/use-action';
import { logIn, type Session } from '../lib/session';

/** Asks for an API key once; a wrong or revoked key is answered by the gateway's own 401. */
export function Login({ onLoggedIn }: { onLoggedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const login = useAction(logIn);
  return (
    <main class="login">
      <h1>fedledger console</h1>
      <p>
        Enter the API key your gateway administrator gave you. It is kept for this browser tab only.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void login.run(key).then((session) => {
            if (session) onLoggedIn(session);
          });
        }}
      >
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(event) => {
            setKey(event.currentTarget.value);
          }}
        />
        <button type="submit" disabled={login.pending}>
          {login.pending ? 'Checking…' : 'Log in'}
        </button>
      </form>
      {login.error && <ErrorBox error={login.error} title="Log-in failed" />}
    </main>
  );
}
