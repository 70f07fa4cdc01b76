import { useState } from 'preact/hooks';
import { WEIGHTS_MAGIC } from '@fedledger/core/weights-codec';
import { ErrorBox } from '../components/states';
import { useAction } from '../components/use-action';
import { time } from '../lib/format';
import { href } from '../lib/router';
import type { Session } from '../lib/session';
import type { Verification } from '../lib/types';

/** True when the file starts with the FLW1 magic: anything else cannot be a model version's weights. */
async function isModelFile(file: File): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, WEIGHTS_MAGIC.length).arrayBuffer());
  return (
    head.length === WEIGHTS_MAGIC.length &&
    head.every((byte, i) => byte === WEIGHTS_MAGIC.charCodeAt(i))
  );
}

/**
 * "Is this file a model of ours?": the file is sent to the gateway, which hashes it and asks the
 * ledger. A file that is not FLW1 is answered here, without a request.
 */
export function VerifyScreen({ session }: { session: Session }) {
  const [over, setOver] = useState(false);
  const [notModel, setNotModel] = useState<string | undefined>();
  const [fileName, setFileName] = useState<string | undefined>();
  const verify = useAction(async (file: File) =>
    session.api.postBytes<Verification>('/models/verify/file', await file.arrayBuffer()),
  );

  const check = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setFileName(file.name);
    if (!(await isModelFile(file))) {
      setNotModel(file.name);
      return;
    }
    setNotModel(undefined);
    await verify.run(file);
  };

  return (
    <section aria-labelledby="verify-title">
      <h1 id="verify-title">Verify a model file</h1>
      <p>
        Drop an FLW1 weights file (weights.flw1): the ledger says which federation version, if any,
        it is. The file is hashed by your gateway and not stored.
      </p>
      <div
        class={`dropzone ${over ? 'over' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => {
          setOver(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void check(e.dataTransfer?.files[0]);
        }}
      >
        <p>Drop the file here, or</p>
        <label class="button" for="verify-file">
          choose a file
        </label>
        <input
          id="verify-file"
          class="visually-hidden"
          type="file"
          onChange={(e) => void check(e.currentTarget.files?.[0] ?? undefined)}
        />
      </div>
      <div aria-live="polite" data-testid="verify-result">
        {verify.pending && <p class="state loading">Asking the ledger about {fileName}…</p>}
        {notModel !== undefined && (
          <p class="state error not-model" role="alert">
            {notModel} is not a model file: it does not start with the {WEIGHTS_MAGIC} header of
            fedledger weights.
          </p>
        )}
        {notModel === undefined && verify.error && (
          <ErrorBox error={verify.error} title="Not verified" />
        )}
        {notModel === undefined && verify.result && (
          <VerificationResult result={verify.result} fileName={fileName} />
        )}
      </div>
    </section>
  );
}

function VerificationResult({
  result,
  fileName,
}: {
  result: Verification;
  fileName: string | undefined;
}) {
  if (!result.found) {
    return (
      <div class="result no-match" data-match="false">
        <strong>No match.</strong> No model version on the ledger has the hash of {fileName}:{' '}
        <code class="hash">{result.modelHash}</code>
      </div>
    );
  }
  return (
    <div class="result match" data-match="true">
      <strong>Match.</strong> {fileName} is version {result.version} (round {result.round}) of
      federation{' '}
      <a href={href('federations', result.federationId ?? '', 'models', result.version ?? 0)}>
        {result.federationId}
      </a>
      , recorded {time(result.createdAt)}. Hash <code class="hash">{result.modelHash}</code>
    </div>
  );
}
