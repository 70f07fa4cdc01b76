import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/federations/x`), so that no console path can shadow a REST route of the same
 * gateway (`/federations/x` is the API) and a reload keeps the page.
 */
export function useHashPath(): string[] {
  const [path, setPath] = useState(parse());
  useEffect(() => {
    const onChange = (): void => {
      setPath(parse());
    };
    window.addEventListener('hashchange', onChange);
    // Effects run after the first paint: a hash changed between render and now would be missed.
    onChange();
    return () => {
      window.removeEventListener('hashchange', onChange);
    };
  }, []);
  return path;
}

function parse(): string[] {
  return location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map(decodeURIComponent);
}

/** The href of a console route. */
export function href(...parts: Array<string | number>): string {
  return `#/${parts.map((part) => encodeURIComponent(String(part))).join('/')}`;
}

export function navigate(...parts: Array<string | number>): void {
  location.hash = href(...parts);
}
