import { useEffect, useState } from 'preact/hooks';
import { Login } from './screens/login';
import { Shell } from './screens/shell';
import { logIn, logOut, storedKey, type Session } from './lib/session';
import { Loading } from './components/states';

/** Logs in with the key kept for this tab (if any), then shows the console for that key's role. */
export function App() {
  const [session, setSession] = useState<Session | undefined>();
  const [restoring, setRestoring] = useState(storedKey() !== null);
  useEffect(() => {
    const key = storedKey();
    if (key === null) return;
    logIn(key)
      .then(setSession)
      .catch(() => {
        logOut();
      })
      .finally(() => {
        setRestoring(false);
      });
  }, []);
  if (restoring) return <Loading what="your session" />;
  if (!session) return <Login onLoggedIn={setSession} />;
  return (
    <Shell
      session={session}
      onLogOut={() => {
        logOut();
        setSession(undefined);
      }}
    />
  );
}
