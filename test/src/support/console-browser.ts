import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import { REPO_ROOT } from '@fedledger/demo';

/** Debian's Chromium (scripts/lib.sh ensure_chromium installs it); the driver never downloads a browser. */
export const CHROMIUM = process.env['FEDLEDGER_CHROMIUM'] ?? '/usr/bin/chromium';

/** Screenshots of every run (ignored by git); docs/console/ holds the committed copies. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'coverage', 'console-screenshots');

/** Bounds each wait for the page, so a broken screen fails the test with the selector it waited for. */
const WAIT_MS = 60_000;

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = {
  width: 390,
  height: 844,
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
} as const;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the console browser tests need Chromium at ${CHROMIUM}: install Debian's chromium package (scripts/test-all.sh does as root) or set FEDLEDGER_CHROMIUM`,
    );
  }
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Waiting for a federation to finish is one long in-page wait; the default 3-minute bound on a
    // single protocol call would cut it short.
    protocolTimeout: 20 * 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-breakpad',
      // The test keeps several tabs open (one per person); a tab in the background must go on
      // polling the gateway at full speed, as a user's second window would.
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--disable-renderer-backgrounding',
    ],
  });
}

/**
 * One browser tab on one gateway's console. Records what the page sent and every uncaught error or
 * policy violation it printed, so a test can say "nothing sent twice" and "no script error".
 */
export class ConsoleTab {
  readonly requests: Array<{ method: string; path: string }> = [];
  readonly problems: string[] = [];

  private constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('request', (request: HTTPRequest) => {
      const url = new URL(request.url());
      if (url.origin === baseUrl)
        this.requests.push({ method: request.method(), path: url.pathname });
    });
    page.on('pageerror', (error) =>
      this.problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`),
    );
    page.on('console', (message) => {
      // A refused request (401/403/404 on purpose) is logged by Chromium as "Failed to load resource": not a fault of the page.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        this.problems.push(`console error: ${message.text()}`);
    });
  }

  static async open(
    browser: Browser,
    baseUrl: string,
    viewport: { width: number; height: number } = DESKTOP,
  ): Promise<ConsoleTab> {
    const page = await browser.newPage();
    await page.setViewport(viewport);
    page.setDefaultTimeout(WAIT_MS);
    const tab = new ConsoleTab(page, baseUrl);
    await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
    return tab;
  }

  /** Types the key into the log-in form; returns once the console or the log-in error shows. */
  async logIn(apiKey: string): Promise<void> {
    // A fresh log-in form, so the answer waited for below cannot be the previous attempt's.
    if ((await this.count('.login .state.error')) > 0)
      await this.page.reload({ waitUntil: 'load' });
    await this.page.waitForSelector('#api-key');
    await this.fill('#api-key', apiKey);
    await this.page.click('form button[type=submit]');
    await this.page.waitForSelector('header .who, .login .state.error');
  }

  /** Logs in and fails with the page's own error when the key is refused. */
  async logInOk(apiKey: string): Promise<void> {
    await this.logIn(apiKey);
    const refused = await this.text('.login .state.error');
    if (refused !== '') throw new Error(`log-in at ${this.baseUrl} failed: ${refused}`);
  }

  async logOut(): Promise<void> {
    await this.page.click('header button.link');
    await this.page.waitForSelector('#api-key');
  }

  /** Goes to a console route (`federations/x`) within the page, as a click on a link would. */
  async go(route: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.evaluate(`location.hash = ${JSON.stringify(`#/${route}`)}`);
    await this.page.waitForSelector('header .who');
  }

  /** Replaces an input's value by typing, as a user would. */
  async fill(selector: string, value: string | number): Promise<void> {
    await this.page.bringToFront();
    await this.page.waitForSelector(selector);
    await this.page.focus(selector);
    await this.page.keyboard.down('Control');
    await this.page.keyboard.press('KeyA');
    await this.page.keyboard.up('Control');
    await this.page.keyboard.press('Backspace');
    await this.page.keyboard.type(String(value));
  }

  async select(selector: string, value: string): Promise<void> {
    await this.page.waitForFunction(
      `!!document.querySelector(${JSON.stringify(`${selector} option[value="${value}"]`)})`,
    );
    await this.page.select(selector, value);
  }

  async click(selector: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.waitForSelector(`${selector}:not([disabled])`);
    await this.page.click(selector);
  }

  /** The text of the first element matching `selector` ('' when none). */
  async text(selector: string): Promise<string> {
    return (await this.page.evaluate(
      `document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`,
    )) as string;
  }

  async count(selector: string): Promise<number> {
    return (await this.page.evaluate(
      `document.querySelectorAll(${JSON.stringify(selector)}).length`,
    )) as number;
  }

  /** Waits until the element's text matches `pattern`. */
  async waitForText(selector: string, pattern: RegExp, timeoutMs = WAIT_MS): Promise<string> {
    await this.page.bringToFront();
    await this.page.waitForFunction(
      `(document.querySelector(${JSON.stringify(selector)})?.textContent ?? '').match(${pattern.toString()}) !== null`,
      { timeout: timeoutMs, polling: 100 },
    );
    return this.text(selector);
  }

  async evaluate<T>(expression: string): Promise<T> {
    return (await this.page.evaluate(expression)) as T;
  }

  sent(method: string, path: string): number {
    return this.requests.filter((request) => request.method === method && request.path === path)
      .length;
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    // A background tab draws no frames, and a screenshot of it would wait for one.
    await this.page.bringToFront();
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  /** For a failed test: where the tab was, what it showed and what it printed (bounded, never hangs). */
  async describe(): Promise<string> {
    const within = <T>(promise: Promise<T>): Promise<T | string> =>
      Promise.race([
        promise,
        new Promise<string>((resolve) =>
          setTimeout(() => {
            resolve('(no answer)');
          }, 5_000),
        ),
      ]);
    const state = await within(
      this.evaluate<string>(
        `location.href + ' ' + (document.querySelector('#app')?.innerText ?? '').slice(0, 1500)`,
      ),
    ).catch((error: unknown) => String(error));
    return `${this.baseUrl}: ${state}\nproblems: ${this.problems.join(' | ') || 'none'}\nrequests: ${this.requests
      .slice(-15)
      .map((r) => `${r.method} ${r.path}`)
      .join(', ')}`;
  }

  /** The page is no wider than its viewport (nothing cut off or scrolling sideways at this width). */
  async fitsWidth(): Promise<boolean> {
    return this.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1');
  }
}
