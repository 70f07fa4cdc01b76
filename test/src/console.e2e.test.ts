import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256Hex } from '@fedledger/core';
import { ApiKeyStore } from '@fedledger/gateway';
import { GatewayClient } from '@fedledger/demo';
import { ConsoleTab, launchChromium, PHONE } from './support/console-browser';
import { defaultLayoutPorts, networkSh } from './support/network';
import { assertNothingLeftRunning, withFabricTestbed } from './support/testbed';

const FEDERATION = 'console-readmission';

/** The ledger's hash of one version, from a list of versions. */
function ledgerModelHash(
  versions: Array<{ version: number; modelHash: string }>,
  version: number,
): string {
  const found = versions.find((v) => v.version === version);
  if (!found) throw new Error(`the ledger lists no version ${version}`);
  return found.modelHash;
}
/** A few small rounds: enough for a chart that moves while the federation runs, short on 2 cores. */
const ROUNDS = 3;
const ROWS = 600;
/** On a machine shared with other real-network runs, wait longer for the network and look often. */
const LOCK = { timeoutMs: 30 * 60_000, pollMs: 250 };

/**
 * The web console in headless Chromium against the gateways of a real Fabric network: a scientist
 * registers data, an admin creates and starts a federation, the scientist follows it to the end
 * (live progress, accuracy chart growing while it runs), the auditor walks the lineage, verifies
 * the final model file and a tampered one, and sees no weights downloads; bad input on the way.
 */
test(
  'web console on the real network: scientist follows a federation live, auditor walks the lineage and verifies files, bad input is answered',
  { timeout: 60 * 60_000 },
  async () => {
    const leftovers = await withFabricTestbed(
      'e2e-console',
      { lock: LOCK },
      async ({ consortium, teardown, stateRoot }) => {
        const [org1, org2, org3] = consortium.hospitals as [
          (typeof consortium.hospitals)[0],
          (typeof consortium.hospitals)[0],
          (typeof consortium.hospitals)[0],
        ];
        const auditorOrg = consortium.auditor;
        const browser = await launchChromium();
        teardown.add('Chromium', async () => browser.close());
        const tabs: ConsoleTab[] = [];
        // Runs before Chromium closes (newer steps first): what each tab showed when the test failed.
        let passed = false;
        teardown.add('the state of every tab', async () => {
          if (passed) return;
          for (const [index, tab] of tabs.entries()) {
            process.stdout.write(`--- console tab ${index}: ${await tab.describe()}\n`);
            await Promise.race([
              tab.screenshot(`last-state-${index}`),
              new Promise((resolve) => setTimeout(resolve, 10_000)),
            ]).catch(() => undefined);
          }
        });
        const open = async (
          baseUrl: string,
          viewport?: { width: number; height: number },
        ): Promise<ConsoleTab> => {
          const tab = await ConsoleTab.open(browser, baseUrl, viewport);
          tabs.push(tab);
          return tab;
        };

        // --- Log-in: a wrong key and a revoked key are refused with the gateway's own answer.
        const login = await open(org1.baseUrl);
        await login.screenshot('login');
        await login.logIn('flk_0123456789abcdef_this-is-not-a-key-of-this-gateway-at-all-00');
        assert.match(
          await login.text('.login .state.error'),
          /UNAUTHENTICATED.*unknown or revoked API key/,
        );
        const keys = new ApiKeyStore(join(stateRoot, org1.mspId, 'state', 'api-keys.json'));
        const leaver = keys.create('leaving-scientist', 'scientist');
        await login.logInOk(leaver.apiKey);
        assert.match(await login.text('header .who'), /Org1MSP · leaving-scientist \(scientist\)/);
        await login.logOut();
        keys.revoke(leaver.record.id);
        await login.logIn(leaver.apiKey);
        assert.match(
          await login.text('.login .state.error'),
          /UNAUTHENTICATED.*unknown or revoked API key/,
        );
        await login.screenshot('login-refused');

        // --- Each hospital's scientist registers its share of the synthetic cohort.
        const scientist1 = await open(org1.baseUrl);
        await scientist1.logInOk(org1.keys.scientist);
        for (const [index, org] of [org1, org2, org3].entries()) {
          const tab = index === 0 ? scientist1 : await open(org.baseUrl);
          if (index > 0) await tab.logInOk(org.keys.scientist);
          await tab.go('datasets');
          await tab.waitForText('.state.empty', /No dataset registered/);
          await tab.fill('#syn-index', index);
          await tab.fill('#syn-rows', ROWS);
          await tab.click('#register-synthetic');
          await tab.waitForText('table.datasets [data-dataset="local"]', /synthetic/);
          if (index === 0) await tab.screenshot('datasets');
        }

        // --- Org1's admin creates the federation from its dataset, inviting the two other hospitals.
        const admin1 = await open(org1.baseUrl);
        await admin1.logInOk(org1.keys.admin);
        await admin1.go('federations/new');
        await admin1.fill('#fed-id', FEDERATION);
        await admin1.fill('#fed-name', '30-day readmission (console test)');
        await admin1.select('#fed-dataset', 'local');
        await admin1.page.waitForSelector('input[name=invite][value=Org2MSP]');
        await admin1.click('input[name=invite][value=Org2MSP]');
        await admin1.click('input[name=invite][value=Org3MSP]');
        await admin1.fill('#fed-rounds', ROUNDS);
        await admin1.fill('#fed-epochs', 2);
        await admin1.fill('#fed-credits', 100);
        await admin1.screenshot('create-federation');
        await admin1.click('#create-federation');
        await admin1.waitForText('[data-testid=federation-status]', /pending/);
        assert.equal(admin1.sent('POST', '/federations'), 1);

        // --- Org2 and Org3 admins accept with their local dataset, in their own gateway's console.
        const admins = [admin1];
        for (const org of [org2, org3]) {
          const tab = await open(org.baseUrl);
          admins.push(tab);
          await tab.logInOk(org.keys.admin);
          await tab.go(`federations/${FEDERATION}`);
          await tab.select('#accept-dataset', 'local');
          await tab.click('#accept-invitation');
          await tab.page.waitForSelector('#accept-invitation', { hidden: true });
        }

        // --- The scientist watches the federation's page from before the start to the end.
        await scientist1.go(`federations/${FEDERATION}`);
        await scientist1.waitForText('[data-testid=federation-status]', /pending/);
        await scientist1.evaluate(`(() => {
      window.__samples = [];
      setInterval(() => {
        const figure = document.querySelector('figure.chart');
        window.__samples.push({
          points: Number(figure?.dataset.points ?? 0),
          status: document.querySelector('[data-testid=federation-status]')?.textContent ?? '',
          org1: document.querySelector('.round-progress tr[data-org="Org1MSP"]')?.textContent ?? '',
        });
      }, 50);
    })()`);
        await admin1.waitForText('[data-testid=joined]', /3 of 3/);
        await admin1.click('#start-federation');
        await scientist1.waitForText('[data-testid=federation-status]', /running/);
        await scientist1.page.waitForFunction(
          `Number(document.querySelector('figure.chart')?.dataset.points ?? 0) >= 1`,
          { timeout: 10 * 60_000, polling: 100 },
        );
        await scientist1.screenshot('federation-running');
        await scientist1.waitForText('[data-testid=federation-status]', /completed/, 10 * 60_000);
        await scientist1.page.waitForFunction(
          `document.querySelector('figure.chart')?.dataset.lastVersion === '${ROUNDS}'`,
          { timeout: 5 * 60_000, polling: 200 },
        );
        await scientist1.screenshot('federation-completed');
        const samples =
          await scientist1.evaluate<Array<{ points: number; status: string; org1: string }>>(
            'window.__samples',
          );
        assert.ok(
          samples.some((s) => s.status === 'running' && s.points >= 1),
          'the accuracy chart gained a point while the federation was still running (no reload)',
        );
        assert.ok(
          samples.some((s) => /training: epoch \d+\/2, batch \d+\/\d+, loss/.test(s.org1)),
          'Org1’s live training progress (SSE) was shown',
        );
        for (let i = 1; i < samples.length; i++)
          assert.ok(
            (samples[i]?.points ?? 0) >= (samples[i - 1]?.points ?? 0),
            'chart points only grow',
          );
        const chartRows = await scientist1.count('table.accuracy-table tbody tr');
        assert.ok(chartRows >= ROUNDS, `the chart's table lists ${chartRows} versions`);

        // Scientists are offered the weights of a version (the auditor check below must be able to fail).
        await scientist1.go(`federations/${FEDERATION}/models/${ROUNDS}`);
        await scientist1.page.waitForSelector('button.download[data-file="weights.flw1"]');

        // --- The admins approve the final version until it is deployed; the scientist predicts with it and sees the ledger receipt.
        const restOrg1 = new GatewayClient(org1);
        for (const admin of admins) {
          await admin.go(`federations/${FEDERATION}/models/${ROUNDS}`);
          await admin.click('#approve-version');
          await admin.page.waitForSelector('#approve-version', { hidden: true });
          if (!/not deployed/.test(await admin.text('[data-testid=deployment]'))) break;
        }
        const federation = (await (
          await fetch(`${org1.baseUrl}/federations/${FEDERATION}`, {
            headers: { 'x-api-key': org1.keys.scientist },
          })
        ).json()) as { featureColumns: string[] };
        await scientist1.page.waitForSelector('#predict-rows', { timeout: 60_000 });
        assert.match(await scientist1.text('[data-testid=deployment]'), /; deployed\./);
        await scientist1.fill(
          '#predict-rows',
          federation.featureColumns.map((_, i) => (i % 2 === 0 ? 1 : 0)).join(', '),
        );
        await scientist1.click('#predict');
        const receipt = await scientist1.waitForText(
          '[data-testid=receipt]',
          /Ledger receipt: transaction [0-9a-f]{64}/,
        );
        assert.match(
          receipt,
          new RegExp(`model ${ledgerModelHash(await restOrg1.listModels(FEDERATION), ROUNDS)}`),
        );
        await scientist1.screenshot('prediction');

        // --- The auditor walks the lineage from the final version back to the initial model.
        const restAuditor = new GatewayClient(auditorOrg);
        const ledgerVersions = (await restAuditor.listModels(FEDERATION, 'auditor')).sort(
          (a, b) => a.version - b.version,
        );
        assert.deepEqual(
          ledgerVersions.map((v) => v.version),
          [0, 1, 2, 3],
        );
        const auditor = await open(auditorOrg.baseUrl);
        await auditor.logInOk(auditorOrg.keys.auditor);
        assert.doesNotMatch(
          await auditor.text('header nav'),
          /Datasets/,
          'auditors are not offered the datasets screen',
        );
        // Issue 13's auditor view: every round's contributions and credits, and the balances, as the ledger has them.
        await auditor.go(`federations/${FEDERATION}`);
        await auditor.page.waitForFunction(
          `document.querySelectorAll('table.contributions tr[data-settled="true"]').length === ${ROUNDS}`,
          { timeout: 5 * 60_000, polling: 200 },
        );
        await auditor.page.waitForSelector('.ledger.up');
        await auditor.screenshot('contributions');
        const reports = await restAuditor.listContributions(FEDERATION);
        for (const org of ['Org1MSP', 'Org2MSP', 'Org3MSP']) {
          const earned = reports.reduce(
            (sum, r) => sum + (r.contributions.find((c) => c.mspId === org)?.credits ?? 0),
            0,
          );
          assert.equal(
            (await auditor.text(`table.contributions td[data-balance="${org}"]`)).trim(),
            `${earned} credits`,
            `${org}'s balance on the auditor's page is the sum of its credits on the ledger`,
          );
        }
        await auditor.go(`federations/${FEDERATION}/models`);
        await auditor.page.waitForFunction(
          `document.querySelectorAll('.version-list a').length === ${ROUNDS + 1}`,
          { polling: 200 },
        );
        await auditor.screenshot('lineage');
        for (let version = ROUNDS; version >= 1; version--) {
          await auditor.waitForText('.version-detail h2', new RegExp(`Version ${version}$`));
          assert.equal(
            (await auditor.text('[data-testid=model-hash]')).trim(),
            ledgerVersions[version]?.modelHash,
          );
          assert.equal(
            await auditor.count('button.download'),
            0,
            `no weights download offered to the auditor (version ${version})`,
          );
          assert.doesNotMatch(await auditor.text('main'), /Download|weights\.bin|model\.json/);
          const parentText = await auditor.text('[data-testid=parent-link]');
          assert.ok(
            parentText.includes(ledgerVersions[version - 1]?.modelHash),
            `version ${version}'s parent is version ${version - 1}`,
          );
          const contributors = await auditor.text('table.contributors');
          for (const org of ['Org1MSP', 'Org2MSP', 'Org3MSP'])
            assert.match(
              contributors,
              new RegExp(org),
              `version ${version} lists ${org} as a contributor`,
            );
          await auditor.click('[data-testid=parent-link]');
        }
        await auditor.waitForText('.version-detail h2', /Version 0$/);
        assert.match(await auditor.text('[data-testid=parent]'), /none \(initial model\)/);

        // --- Verify: the final model file (dropped) matches, a tampered copy does not, a text file is not a model.
        const finalWeights = await new GatewayClient(org1).downloadWeights(FEDERATION, ROUNDS);
        assert.equal(sha256Hex(finalWeights), ledgerVersions[ROUNDS]?.modelHash);
        await auditor.go('verify');
        await auditor.page.waitForSelector('[data-testid=dropzone]');
        await auditor.evaluate(`(() => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(Buffer.from(finalWeights).toString('base64'))}), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'final.flw1'));
      const zone = document.querySelector('[data-testid=dropzone]');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    })()`);
        const match = await auditor.waitForText('[data-testid=verify-result] .result', /Match/);
        assert.match(
          match,
          new RegExp(`version ${ROUNDS} \\(round ${ROUNDS}\\) of federation ${FEDERATION}`),
        );
        assert.match(match, new RegExp(ledgerVersions[ROUNDS]?.modelHash));
        await auditor.screenshot('verify-match');
        const files = mkdtempSync(join(tmpdir(), 'fedledger-console-files-'));
        teardown.add('console test files', () => {
          rmSync(files, { recursive: true, force: true });
        });
        const tampered = Buffer.from(finalWeights);
        tampered[tampered.length - 1] = tampered[tampered.length - 1] ^ 0x01;
        writeFileSync(join(files, 'tampered.flw1'), tampered);
        writeFileSync(join(files, 'notes.txt'), 'a text file, not model weights\n');
        const upload = async (name: string): Promise<void> => {
          const input = (await auditor.page.$('#verify-file')) as unknown as {
            uploadFile(...paths: string[]): Promise<void>;
          };
          await input.uploadFile(join(files, name));
        };
        await upload('tampered.flw1');
        assert.match(
          await auditor.waitForText('[data-testid=verify-result] .result', /No match/),
          new RegExp(sha256Hex(tampered)),
        );
        await auditor.screenshot('verify-no-match');
        const verifyCalls = auditor.sent('POST', '/models/verify/file');
        assert.equal(verifyCalls, 2);
        await upload('notes.txt');
        assert.match(
          await auditor.waitForText('[data-testid=verify-result] .not-model', /not a model file/),
          /notes\.txt is not a model file/,
        );
        assert.equal(
          auditor.sent('POST', '/models/verify/file'),
          verifyCalls,
          'a file that is not FLW1 is not sent',
        );
        await auditor.screenshot('verify-not-a-model');

        // --- The auditor's timeline: every submission and aggregation, filtered by action.
        await auditor.go(`audit/${FEDERATION}`);
        await auditor.page.waitForSelector('table.timeline tr[data-action="Aggregate"]');
        await auditor.select('#audit-action', 'SubmitUpdate');
        await auditor.page.waitForFunction(
          `document.querySelectorAll('table.timeline tbody tr').length === ${3 * ROUNDS} && [...document.querySelectorAll('table.timeline tbody tr')].every((row) => row.dataset.action === 'SubmitUpdate')`,
          { polling: 100 },
        );
        await auditor.select('#audit-action', '');
        await auditor.click('.key-history button[type=submit]');
        await auditor.waitForText('.key-history ol.history', /"status": "completed"/);
        await auditor.screenshot('audit');

        // --- An auditor opening a write action's page directly gets the API's 403, sent once.
        await auditor.go('federations/new');
        await auditor.fill('#fed-id', 'auditor-attempt');
        await auditor.page.click('#create-federation');
        const refused = await auditor.waitForText('.state.error[data-code=FORBIDDEN]', /FORBIDDEN/);
        assert.match(refused, /role auditor may not do this/);
        // Clicking again (or pressing Enter in the form) cannot resend a write the gateway refused for this role.
        await auditor.page.click('#create-federation');
        await auditor.page.focus('#fed-id');
        await auditor.page.keyboard.press('Enter');
        assert.equal(
          await auditor.evaluate<boolean>(`document.querySelector('#create-federation').disabled`),
          true,
        );
        assert.equal(
          auditor.sent('POST', '/federations'),
          1,
          'the refused create was sent exactly once',
        );
        await auditor.screenshot('auditor-forbidden');

        // --- Keyboard: the menu and the file chooser are reachable with Tab, and Enter follows a link.
        await auditor.go('verify');
        await auditor.page.waitForSelector('[data-testid=dropzone]');
        await auditor.evaluate('document.activeElement?.blur()');
        const reached: string[] = [];
        for (let i = 0; i < 20; i++) {
          await auditor.page.keyboard.press('Tab');
          reached.push(
            await auditor.evaluate<string>(
              `(() => { const e = document.activeElement; return e ? (e.id ? '#' + e.id : (e.textContent ?? '').trim()) : ''; })()`,
            ),
          );
        }
        for (const wanted of ['Federations', 'Audit', 'Verify a model', 'Log out', '#verify-file'])
          assert.ok(reached.includes(wanted), `Tab reaches ${wanted}: ${reached.join(' | ')}`);
        for (
          let i = 0;
          i < 30 &&
          (await auditor.evaluate<string>(`document.activeElement?.textContent ?? ''`)) !== 'Audit';
          i++
        )
          await auditor.page.keyboard.press('Tab');
        await auditor.page.keyboard.press('Enter');
        await auditor.page.waitForFunction(`location.hash === '#/audit'`);

        // --- Phone width: the lineage and the federation page fit without sideways scrolling.
        const phone = await open(auditorOrg.baseUrl, PHONE);
        await phone.logInOk(auditorOrg.keys.auditor);
        await phone.go(`federations/${FEDERATION}`);
        await phone.page.waitForFunction(
          `Number(document.querySelector('figure.chart')?.dataset.points ?? 0) >= ${ROUNDS}`,
          { polling: 200 },
        );
        assert.ok(await phone.fitsWidth(), 'the federation page fits a 390 px wide screen');
        await phone.screenshot('phone-federation');
        await phone.go(`federations/${FEDERATION}/models`);
        await phone.page.waitForSelector('.version-detail');
        assert.ok(await phone.fitsWidth(), 'the lineage fits a 390 px wide screen');
        await phone.screenshot('phone-lineage');

        // --- Stale data: with the network down, the page keeps what it showed and says it is stale.
        await auditor.go(`federations/${FEDERATION}`);
        await auditor.waitForText('[data-testid=federation-status]', /completed/);
        await auditor.page.waitForSelector('table.versions');
        await networkSh(['down']);
        await auditor.page.waitForSelector('main .state.stale', { timeout: 90_000 });
        assert.match(
          await auditor.text('main .state.stale'),
          /Stale: showing the ledger as of .* — the last refresh failed \(\s*[A-Z_]+ .+\)\. Retrying\./,
        );
        assert.match(
          await auditor.text('[data-testid=federation-status]'),
          /completed/,
          'the last known state stays on screen',
        );
        await auditor.page.waitForSelector('.ledger.down', { timeout: 30_000 });
        assert.match(
          await auditor.text('footer'),
          /ledger fabric unreachable \(LEDGER_UNAVAILABLE\)/,
        );
        await auditor.screenshot('stale');

        for (const tab of tabs)
          assert.deepEqual(
            tab.problems,
            [],
            `no script error or policy violation in the console at ${tab.baseUrl}`,
          );
        passed = true;
      },
    );
    await assertNothingLeftRunning(leftovers, defaultLayoutPorts());
  },
);
